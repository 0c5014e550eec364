using Spotalis.Core.Workloads;

namespace Spotalis.Operator.Cache;

/// <summary>The parts of a pod the operator decides from.</summary>
/// <param name="Revision">pod-template-hash (Deployment) or controller-revision-hash (StatefulSet) label.</param>
/// <param name="CapacityLabel">The <c>spotalis.io/capacity-type</c> label the webhook set, if any.</param>
/// <param name="UnschedulableSince">When PodScheduled became False with reason Unschedulable; null otherwise.</param>
/// <param name="Ordinal">StatefulSet ordinal parsed from the name; null for other pods.</param>
public sealed record PodSnapshot(
    string Namespace,
    string Name,
    string Uid,
    IReadOnlyList<OwnerRef> Owners,
    string? NodeName,
    string Phase,
    bool Ready,
    bool Terminating,
    DateTimeOffset CreatedAt,
    string? Revision,
    string? CapacityLabel,
    bool DoNotDisrupt,
    int? DeletionCost,
    DateTimeOffset? UnschedulableSince,
    int? Ordinal,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>True when the pod carries the annotation <c>spotalis.io/fallback=true</c> (set by the webhook).</summary>
    public bool IsFallback { get; init; }

    /// <summary>The <c>spotalis.io/admission-id</c> annotation: the uid of the admission that placed the pod.</summary>
    public string? AdmissionId { get; init; }

    /// <summary>The pod's <c>spotalis.io/fallback-since</c> mark: the workload's fallback decision, recorded in the cluster.</summary>
    public DateTimeOffset? FallbackSince { get; init; }

    /// <summary>Holds a replica: neither finished nor terminating (<see cref="PodLiveness"/>).</summary>
    public bool IsLive => PodLiveness.IsLive(Phase, Terminating);

    /// <summary>Ran to an end (Succeeded or Failed).</summary>
    public bool IsFinished => PodLiveness.IsFinished(Phase);
}
