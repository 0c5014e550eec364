using Spotalis.Core.Admission;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Webhook.Placement;

/// <summary>The webhook's decision for one pod and the reason, in words an operator can read in a log.</summary>
internal sealed record PlacementOutcome(
    PlacementVerdict Verdict,
    string Reason,
    WorkloadRef? Workload = null,
    PlacementDecision? Decision = null,
    int DeletionCost = 0)
{
    /// <summary>The workload is in fallback since then: the new pod carries the <c>spotalis.io/fallback-since</c> mark too.</summary>
    public DateTimeOffset? FallbackSince { get; init; }

    public static PlacementOutcome Leave(string reason, WorkloadRef? workload = null) => new(PlacementVerdict.Leave, reason, workload);
}
