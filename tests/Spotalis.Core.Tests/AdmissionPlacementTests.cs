using CsCheck;
using Spotalis.Core.Admission;
using Spotalis.Core.Capacity;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

public sealed class AdmissionPlacementTests
{
    private static PlacementInput Input(int desiredSpot, int desiredOnDemand, int spot = 0, int onDemand = 0, int recentSpot = 0, int recentOnDemand = 0, bool spotUnavailable = false, int? ordinal = null) =>
        new(new DesiredSplit(desiredSpot, desiredOnDemand), spot, onDemand, recentSpot, recentOnDemand, spotUnavailable, ordinal)
        {
            // The desired splits of the StatefulSet cases below are those of 70 % with a floor of 3.
            OrdinalOrder = ordinal is null ? null : new StatefulSetOrder(70, 3),
        };

    [Fact]
    public void On_demand_share_is_filled_first()
    {
        var decision = AdmissionPlacement.Choose(Input(7, 3));

        Assert.Equal(new PlacementDecision(CapacityType.OnDemand,
            "on-demand is below its desired count (spot 0/7, on-demand 0/3 including recent admissions)", false), decision);
    }

    [Fact]
    public void Spot_share_is_filled_once_on_demand_is_full()
    {
        var decision = AdmissionPlacement.Choose(Input(7, 3, spot: 2, onDemand: 2, recentOnDemand: 1));

        Assert.Equal(CapacityType.Spot, decision.CapacityType);
        Assert.False(decision.IsFallback);
        Assert.Equal("spot is below its desired count (spot 2/7, on-demand 3/3 including recent admissions)", decision.Reason);
    }

    [Fact]
    public void Recent_admissions_count_like_visible_pods()
    {
        Assert.Equal(CapacityType.Spot, AdmissionPlacement.Choose(Input(1, 1, recentOnDemand: 1)).CapacityType);
        Assert.Equal(CapacityType.OnDemand, AdmissionPlacement.Choose(Input(1, 1, recentSpot: 1)).CapacityType);
    }

    [Fact]
    public void Spot_unavailable_places_spot_pods_on_demand_as_fallback()
    {
        var decision = AdmissionPlacement.Choose(Input(7, 3, onDemand: 3, spotUnavailable: true));

        Assert.Equal(CapacityType.OnDemand, decision.CapacityType);
        Assert.True(decision.IsFallback);
        Assert.StartsWith("spot capacity is unavailable, placed on on-demand instead", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Spot_unavailable_does_not_mark_regular_on_demand_pods_as_fallback()
    {
        var decision = AdmissionPlacement.Choose(Input(7, 3, spotUnavailable: true));

        Assert.Equal(CapacityType.OnDemand, decision.CapacityType);
        Assert.False(decision.IsFallback);
    }

    [Theory]
    [InlineData(7, 3, 7, 3, CapacityType.OnDemand)]
    [InlineData(7, 3, 6, 4, CapacityType.Spot)]
    [InlineData(7, 3, 9, 3, CapacityType.OnDemand)]
    [InlineData(10, 0, 10, 0, CapacityType.Spot)]
    [InlineData(0, 10, 0, 10, CapacityType.OnDemand)]
    [InlineData(0, 0, 0, 0, CapacityType.OnDemand)]
    public void When_both_shares_are_full_the_ratio_decides(int desiredSpot, int desiredOnDemand, int spot, int onDemand, CapacityType expected)
    {
        Assert.Equal(expected, AdmissionPlacement.Choose(Input(desiredSpot, desiredOnDemand, spot, onDemand)).CapacityType);
    }

    [Theory]
    [InlineData(0, CapacityType.OnDemand)]
    [InlineData(2, CapacityType.OnDemand)]
    [InlineData(3, CapacityType.Spot)]
    [InlineData(9, CapacityType.Spot)]
    [InlineData(10, CapacityType.OnDemand)]
    public void Stateful_set_ordinals_follow_the_prefix_order(int ordinal, CapacityType expected)
    {
        var decision = AdmissionPlacement.Choose(Input(7, 3, spot: 7, onDemand: 3, ordinal: ordinal));

        Assert.Equal(expected, decision.CapacityType);
        Assert.Contains($"ordinal {ordinal}", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Stateful_set_spot_ordinal_falls_back_when_spot_is_unavailable()
    {
        var decision = AdmissionPlacement.Choose(Input(7, 3, ordinal: 5, spotUnavailable: true));

        Assert.Equal(CapacityType.OnDemand, decision.CapacityType);
        Assert.True(decision.IsFallback);
    }

    [Fact]
    public void A_burst_from_zero_lands_exactly_on_the_desired_split()
    {
        // All pods of the burst are admitted before the cache sees any of them: only recent admissions count.
        Gen.Select(Gen.Int[0, 120], Gen.Int[0, 100], Gen.Int[0, 30]).Sample((replicas, percentage, floor) =>
        {
            var desired = SplitCalculator.Compute(replicas, percentage, floor);
            var admissions = new RecentAdmissions(TimeProvider.System, TimeSpan.FromMinutes(5));
            for (var i = 0; i < replicas; i++)
            {
                var (recentSpot, recentOnDemand) = admissions.Count("w");
                var decision = AdmissionPlacement.Choose(new PlacementInput(desired, 0, 0, recentSpot, recentOnDemand, false, null));
                admissions.Record("w", $"pod-{i}", decision.CapacityType);
            }

            return admissions.Count("w") == (desired.Spot, desired.OnDemand);
        });
    }

    [Fact]
    public void Scaling_up_from_a_balanced_split_stays_balanced()
    {
        Gen.Select(Gen.Int[0, 100], Gen.Int[0, 100], Gen.Int[0, 100], Gen.Int[0, 20]).Sample((from, extra, percentage, floor) =>
        {
            var start = SplitCalculator.Compute(from, percentage, floor);
            var target = SplitCalculator.Compute(from + extra, percentage, floor);
            int spot = start.Spot, onDemand = start.OnDemand;
            for (var i = 0; i < extra; i++)
            {
                var decision = AdmissionPlacement.Choose(new PlacementInput(target, spot, onDemand, 0, 0, false, null));
                spot += decision.CapacityType == CapacityType.Spot ? 1 : 0;
                onDemand += decision.CapacityType == CapacityType.OnDemand ? 1 : 0;
            }

            return (spot, onDemand) == (target.Spot, target.OnDemand);
        });
    }
}
