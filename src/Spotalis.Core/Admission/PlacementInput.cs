using Spotalis.Core.Fallback;
using Spotalis.Core.Split;

namespace Spotalis.Core.Admission;

/// <summary>What the webhook knows when a new pod of a workload is admitted.</summary>
/// <param name="Desired">Desired split of the workload.</param>
/// <param name="CurrentSpot">Live spot pods in the cache.</param>
/// <param name="CurrentOnDemand">Live on-demand pods in the cache.</param>
/// <param name="RecentSpot">Spot admissions not yet in the cache.</param>
/// <param name="RecentOnDemand">On-demand admissions not yet in the cache.</param>
/// <param name="SpotUnavailable">Spot capacity is unavailable (see <see cref="FallbackPolicy"/>).</param>
/// <param name="StatefulSetOrdinal">The pod's StatefulSet ordinal, null for other workloads.</param>
public sealed record PlacementInput(
    DesiredSplit Desired,
    int CurrentSpot,
    int CurrentOnDemand,
    int RecentSpot,
    int RecentOnDemand,
    bool SpotUnavailable,
    int? StatefulSetOrdinal)
{
    /// <summary>The policy's ordinal order; required with <see cref="StatefulSetOrdinal"/>.</summary>
    public StatefulSetOrder? OrdinalOrder { get; init; }
}
