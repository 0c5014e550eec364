using CsCheck;
using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

public sealed class DeletionCostTests
{
    private static readonly ActualSplit NoPods = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Simulates a ReplicaSet scale-down: the pods with the highest cost survive.</summary>
    private static (int Spot, int OnDemand) Survivors(IEnumerable<(CapacityType Type, int Cost)> pods, int keep)
    {
        var kept = pods.OrderByDescending(pod => pod.Cost).Take(keep).ToList();
        return (kept.Count(pod => pod.Type == CapacityType.Spot), kept.Count(pod => pod.Type == CapacityType.OnDemand));
    }

    [Fact]
    public void Policy_costs_keep_the_desired_split_at_every_smaller_replica_count()
    {
        Gen.Select(Gen.Int[0, 60], Gen.Int[0, 100], Gen.Int[0, 12]).Sample((replicas, percentage, floor) =>
        {
            var desired = SplitCalculator.Compute(replicas, percentage, floor);
            var pods = Enumerable.Range(0, desired.Spot).Select(rank => (CapacityType.Spot, DeletionCost.For(CapacityType.Spot, rank, percentage, floor)))
                .Concat(Enumerable.Range(0, desired.OnDemand).Select(rank => (CapacityType.OnDemand, DeletionCost.For(CapacityType.OnDemand, rank, percentage, floor))))
                .ToList();

            for (var keep = 0; keep <= replicas; keep++)
            {
                var expected = SplitCalculator.Compute(keep, percentage, floor);
                if (Survivors(pods, keep) != (expected.Spot, expected.OnDemand))
                {
                    return false;
                }
            }

            return true;
        });
    }

    [Fact]
    public void Costs_are_positive_so_unannotated_pods_go_first()
    {
        Gen.Select(Gen.Enum<CapacityType>(), Gen.Int[0, int.MaxValue], Gen.Int[0, 100], Gen.Int[0, int.MaxValue]).Sample((type, rank, percentage, floor) =>
            DeletionCost.For(type, rank, percentage, floor) > 0);
    }

    [Fact]
    public void Costs_decrease_with_rank_within_a_capacity_type()
    {
        Gen.Select(Gen.Enum<CapacityType>(), Gen.Int[0, 100_000], Gen.Int[0, 100], Gen.Int[0, 50]).Sample((type, rank, percentage, floor) =>
            DeletionCost.For(type, rank, percentage, floor) > DeletionCost.For(type, rank + 1, percentage, floor));
    }

    [Fact]
    public void Surplus_pods_of_the_over_represented_type_are_removed_first()
    {
        // 7 spot / 3 on-demand desired, but 9 spot / 1 on-demand running: scale-down by two removes two spot pods.
        var desired = new DesiredSplit(7, 3);
        var actual = new ActualSplit(9, 1, 0, 0, 9, 1, 0);
        var pods = Enumerable.Range(0, 9).Select(rank => (CapacityType.Spot, DeletionCost.For(CapacityType.Spot, desired, actual, rank)))
            .Append((CapacityType.OnDemand, DeletionCost.For(CapacityType.OnDemand, desired, actual, 0)))
            .ToList();

        Assert.Equal((7, 1), Survivors(pods, 8));
    }

    [Fact]
    public void Without_a_rank_a_new_pod_queues_behind_the_existing_pods_of_its_type()
    {
        var desired = new DesiredSplit(7, 3);
        var actual = new ActualSplit(7, 3, 0, 0, 7, 3, 0);

        var newSpot = DeletionCost.For(CapacityType.Spot, desired, actual, null);
        var newOnDemand = DeletionCost.For(CapacityType.OnDemand, desired, actual, null);

        Assert.Equal(DeletionCost.For(CapacityType.Spot, desired, actual, 7), newSpot);
        Assert.True(newSpot < DeletionCost.For(CapacityType.Spot, desired, actual, 6));
        Assert.True(newOnDemand < DeletionCost.For(CapacityType.OnDemand, desired, actual, 2));
    }

    [Fact]
    public void Ratio_costs_keep_the_desired_split_when_scaling_down_to_it()
    {
        Gen.Select(Gen.Int[0, 60], Gen.Int[0, 60]).Sample((spot, onDemand) =>
        {
            var desired = new DesiredSplit(spot, onDemand);
            var actual = new ActualSplit(spot + 3, onDemand + 3, 0, 0, spot + 3, onDemand + 3, 0);
            var pods = Enumerable.Range(0, spot + 3).Select(rank => (CapacityType.Spot, DeletionCost.For(CapacityType.Spot, desired, actual, rank)))
                .Concat(Enumerable.Range(0, onDemand + 3).Select(rank => (CapacityType.OnDemand, DeletionCost.For(CapacityType.OnDemand, desired, actual, rank))))
                .ToList();

            return Survivors(pods, desired.Total) == (spot, onDemand);
        });
    }

    [Fact]
    public void A_type_with_a_zero_share_is_removed_first()
    {
        var desired = new DesiredSplit(0, 3);

        Assert.True(DeletionCost.For(CapacityType.Spot, desired, NoPods, 0) < DeletionCost.For(CapacityType.OnDemand, desired, NoPods, 100));
        Assert.True(DeletionCost.For(CapacityType.OnDemand, 0, 100, 0) < DeletionCost.For(CapacityType.Spot, 1000, 100, 0));
    }

    [Fact]
    public void Scaled_to_zero_costs_still_order_by_rank()
    {
        var desired = new DesiredSplit(0, 0);

        Assert.True(DeletionCost.For(CapacityType.Spot, desired, NoPods, 0) > DeletionCost.For(CapacityType.Spot, desired, NoPods, 1));
    }
}
