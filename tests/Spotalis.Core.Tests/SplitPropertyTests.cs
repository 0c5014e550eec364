using CsCheck;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

public sealed class SplitPropertyTests
{
    private static readonly Gen<int> Replicas = Gen.Int[-5, 5000];
    private static readonly Gen<int> Percentage = Gen.Int[0, 100];
    private static readonly Gen<int> Floor = Gen.Int[0, 6000];

    [Fact]
    public void Split_sums_to_replicas()
    {
        Gen.Select(Replicas, Percentage, Floor).Sample((replicas, percentage, floor) =>
            SplitCalculator.Compute(replicas, percentage, floor).Total == Math.Max(0, replicas));
    }

    [Fact]
    public void On_demand_is_at_least_the_floor_capped_by_replicas()
    {
        Gen.Select(Replicas, Percentage, Floor).Sample((replicas, percentage, floor) =>
            SplitCalculator.Compute(replicas, percentage, floor).OnDemand >= Math.Min(floor, Math.Max(0, replicas)));
    }

    [Fact]
    public void Spot_never_exceeds_the_requested_share()
    {
        Gen.Select(Replicas, Percentage, Floor).Sample((replicas, percentage, floor) =>
        {
            var split = SplitCalculator.Compute(replicas, percentage, floor);
            return split.Spot >= 0 && (long)split.Spot * 100 <= (long)Math.Max(0, replicas) * percentage;
        });
    }

    [Fact]
    public void Spot_is_monotonic_in_the_percentage()
    {
        Gen.Select(Replicas, Percentage, Percentage, Floor).Sample((replicas, p1, p2, floor) =>
        {
            var (low, high) = p1 <= p2 ? (p1, p2) : (p2, p1);
            return SplitCalculator.Compute(replicas, low, floor).Spot <= SplitCalculator.Compute(replicas, high, floor).Spot;
        });
    }

    [Fact]
    public void Both_shares_grow_by_at_most_one_per_added_replica()
    {
        // This is what lets admission fill deficits one pod at a time and deletion costs order pods in one sequence.
        Gen.Select(Gen.Int[0, 5000], Percentage, Floor).Sample((replicas, percentage, floor) =>
        {
            var before = SplitCalculator.Compute(replicas, percentage, floor);
            var after = SplitCalculator.Compute(replicas + 1, percentage, floor);
            return after.Spot - before.Spot is 0 or 1 && after.OnDemand - before.OnDemand is 0 or 1;
        });
    }
}
