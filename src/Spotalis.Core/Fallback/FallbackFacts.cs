using Spotalis.Core.Capacity;

namespace Spotalis.Core.Fallback;

/// <summary>What the fallback rules need to know about one pod of a workload, all readable from the cache.</summary>
/// <param name="Intended">The pod's <c>spotalis.io/capacity-type</c> label.</param>
/// <param name="IsFallbackPod">The pod carries <c>spotalis.io/fallback: "true"</c>.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UnschedulableSince">When its PodScheduled condition became False/Unschedulable; null when schedulable or scheduled.</param>
/// <param name="Terminating">Deletion has started.</param>
/// <param name="FallbackSince">The pod's <c>spotalis.io/fallback-since</c> mark: the workload's recorded fallback decision.</param>
public sealed record FallbackFacts(
    CapacityType? Intended,
    bool IsFallbackPod,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UnschedulableSince,
    bool Terminating,
    DateTimeOffset? FallbackSince = null);
