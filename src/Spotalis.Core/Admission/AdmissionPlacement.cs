using Spotalis.Core.Capacity;
using Spotalis.Core.Split;

namespace Spotalis.Core.Admission;

/// <summary>
/// Chooses the capacity type of a new pod. The on-demand share is filled first (the floor matters most), then spot;
/// when both are full (a surge during a rollout) the pod goes where the share is furthest below its target.
/// StatefulSets place by ordinal in the prefix-consistent <see cref="StatefulSetOrder"/>.
/// A pod meant for spot goes on-demand, marked as fallback, while spot is unavailable.
/// </summary>
public static class AdmissionPlacement
{
    public static PlacementDecision Choose(PlacementInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var desired = input.Desired;
        if (input.StatefulSetOrdinal is { } ordinal)
        {
            var order = input.OrdinalOrder ?? throw new ArgumentException("a StatefulSet pod's placement needs its OrdinalOrder", nameof(input));
            return order.TargetFor(ordinal) == CapacityType.OnDemand
                ? OnDemand(order.Explain(ordinal))
                : Spot(order.Explain(ordinal), input.SpotUnavailable);
        }

        var spot = Math.Max(0, input.CurrentSpot) + Math.Max(0, input.RecentSpot);
        var onDemand = Math.Max(0, input.CurrentOnDemand) + Math.Max(0, input.RecentOnDemand);
        var counts = $"spot {spot}/{desired.Spot}, on-demand {onDemand}/{desired.OnDemand} including recent admissions";
        if (onDemand < desired.OnDemand)
        {
            return OnDemand($"on-demand is below its desired count ({counts})");
        }

        if (spot < desired.Spot)
        {
            return Spot($"spot is below its desired count ({counts})", input.SpotUnavailable);
        }

        // Both shares are full: keep the ratio. Compare spot/desiredSpot with onDemand/desiredOnDemand without division;
        // ties go to on-demand.
        if (desired.Spot > 0 && (desired.OnDemand == 0 || (long)spot * desired.OnDemand < (long)onDemand * desired.Spot))
        {
            return Spot($"both shares are full; spot is further below its share ({counts})", input.SpotUnavailable);
        }

        return OnDemand($"both shares are full; on-demand keeps the ratio ({counts})");
    }

    private static PlacementDecision OnDemand(string reason) => new(CapacityType.OnDemand, reason, false);

    private static PlacementDecision Spot(string reason, bool spotUnavailable) =>
        spotUnavailable
            ? new PlacementDecision(CapacityType.OnDemand, $"spot capacity is unavailable, placed on on-demand instead ({reason})", true)
            : new PlacementDecision(CapacityType.Spot, reason, false);
}
