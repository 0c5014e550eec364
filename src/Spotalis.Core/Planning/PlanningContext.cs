using Spotalis.Core.Fallback;
using Spotalis.Core.Split;

namespace Spotalis.Core.Planning;

/// <summary>Everything besides the pods that the planner needs to choose the next action of one workload.</summary>
/// <param name="Desired">The desired split for the workload's replicas.</param>
/// <param name="MinOnDemand">The floor: never evict below this many Ready on-demand pods.</param>
/// <param name="DisruptionBudget">Pods that may be unavailable at once because of Spotalis (default 1).</param>
/// <param name="IsStatefulSet">Low ordinals belong on on-demand, high ordinals on spot.</param>
/// <param name="ReadOnly">Dry run: report the action without taking it.</param>
/// <param name="WindowOpen">The disruption window allows disruptive evictions now.</param>
/// <param name="Now">Current time.</param>
/// <param name="LastDisruptionAt">When Spotalis last evicted a pod of this workload (from the workload's Events).</param>
/// <param name="Cooldown">Minimum time between two disruptive evictions of this workload.</param>
/// <param name="RolloutInProgress">The workload is rolling out a new revision.</param>
/// <param name="SpotUnavailable">Spot capacity is unavailable (see <see cref="FallbackPolicy"/>).</param>
/// <param name="FallbackRecorded">The fallback decision is recorded on the workload's live pods, so evicting a pending
/// spot pod does not erase it (invariant 8). Until then no pending spot pod is evicted.</param>
public sealed record PlanningContext(
    DesiredSplit Desired,
    int MinOnDemand,
    int DisruptionBudget,
    bool IsStatefulSet,
    bool ReadOnly,
    bool WindowOpen,
    DateTimeOffset Now,
    DateTimeOffset? LastDisruptionAt,
    TimeSpan Cooldown,
    bool RolloutInProgress,
    bool SpotUnavailable = false,
    bool FallbackRecorded = true)
{
    /// <summary>
    /// StatefulSets: the policy's prefix-consistent ordinal order (which ordinal belongs on which capacity type). Required
    /// when <see cref="IsStatefulSet"/> is true and the pods carry ordinals.
    /// </summary>
    public StatefulSetOrder? OrdinalOrder { get; init; }
}
