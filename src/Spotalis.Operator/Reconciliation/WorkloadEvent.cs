using Spotalis.Operator.Cache;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Reconciliation;

/// <summary>A Kubernetes Event about a workload.</summary>
/// <param name="Type">Normal or Warning.</param>
/// <param name="Reason">One of <see cref="EventReasons"/>; built by <see cref="WorkloadEvents"/>.</param>
/// <param name="Action">What the operator did or would do (e.g. Evict, Place, Validate).</param>
/// <param name="RelatedPod">The pod the event is about, if any.</param>
public sealed record WorkloadEvent(
    WorkloadRef Workload,
    string WorkloadUid,
    EventType Type,
    string Reason,
    string Action,
    string Message,
    string? RelatedPod = null);
