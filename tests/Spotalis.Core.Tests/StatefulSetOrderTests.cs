using CsCheck;
using Spotalis.Core.Admission;
using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

/// <summary>DESIGN.md section 7: StatefulSet ordinals in prefix order, so that scaling never needs an eviction.</summary>
public sealed class StatefulSetOrderTests
{
    private static readonly Gen<(int Replicas, int Percentage, int Floor)> AnyPolicy =
        Gen.Select(Gen.Int[0, 400], Gen.Int[0, 100], Gen.Int[0, 50]);

    [Fact]
    public void Every_prefix_holds_the_desired_split_for_its_size()
    {
        AnyPolicy.Sample((replicas, percentage, floor) =>
        {
            var order = new StatefulSetOrder(percentage, floor);
            var spot = 0;
            for (var k = 1; k <= replicas; k++)
            {
                spot += order.TargetFor(k - 1) == CapacityType.Spot ? 1 : 0;
                if (new DesiredSplit(spot, k - spot) != SplitCalculator.Compute(k, percentage, floor))
                {
                    return false;
                }
            }

            return true;
        });
    }

    [Fact]
    public void Scaling_to_any_size_and_back_keeps_the_split_with_zero_evictions()
    {
        // A StatefulSet removes the highest ordinals on scale-down and adds the next ones on scale-up; the webhook places
        // each new ordinal by the order. After every step the planner must find nothing misplaced.
        Gen.Select(Gen.Int[0, 100], Gen.Int[0, 8], Gen.Int[0, 40].Array[1, 8]).Sample((percentage, floor, sizes) =>
        {
            var order = new StatefulSetOrder(percentage, floor);
            var pods = new List<CapacityType>();
            foreach (var size in sizes)
            {
                while (pods.Count > size)
                {
                    pods.RemoveAt(pods.Count - 1);
                }

                while (pods.Count < size)
                {
                    var desired = SplitCalculator.Compute(Math.Max(size, pods.Count + 1), percentage, floor);
                    pods.Add(AdmissionPlacement.Choose(new PlacementInput(desired, 0, 0, 0, 0, false, pods.Count) { OrdinalOrder = order }).CapacityType);
                }

                var states = pods.Select((type, ordinal) => PodBuilder.Pod($"db-{ordinal}", type, ordinal: ordinal)).ToArray();
                var context = PodBuilder.Context(0, 0) with
                {
                    Desired = SplitCalculator.Compute(size, percentage, floor),
                    MinOnDemand = floor,
                    IsStatefulSet = true,
                    OrdinalOrder = order,
                };
                var plan = RebalancePlanner.Plan(context, states);
                if (plan.Action is not null || pods.Count(t => t == CapacityType.Spot) != context.Desired.Spot)
                {
                    return false;
                }
            }

            return true;
        });
    }

    [Fact]
    public void Five_replicas_at_60_percent_with_a_floor_of_1_alternate_from_on_demand()
    {
        var order = new StatefulSetOrder(60, 1);

        Assert.Equal(
            [CapacityType.OnDemand, CapacityType.Spot, CapacityType.OnDemand, CapacityType.Spot, CapacityType.Spot],
            Enumerable.Range(0, 5).Select(order.TargetFor));
        Assert.Equal("ordinal 2 goes on on-demand: ordinals 0-2 hold the desired split for 3 replica(s), 1 spot, 2 on-demand", order.Explain(2));
    }

    [Fact]
    public void The_floor_comes_first_then_the_share()
    {
        var order = new StatefulSetOrder(100, 2);

        Assert.Equal(
            [CapacityType.OnDemand, CapacityType.OnDemand, CapacityType.Spot, CapacityType.Spot],
            Enumerable.Range(0, 4).Select(order.TargetFor));
    }

    [Fact]
    public void A_stateful_set_placed_the_old_way_converges_one_move_at_a_time()
    {
        // Before the prefix order, 5 replicas at 60 % / floor 1 were placed [on-demand, on-demand, spot, spot, spot].
        var order = new StatefulSetOrder(60, 1);
        PodState[] pods =
        [
            PodBuilder.Pod("db-0", CapacityType.OnDemand, ordinal: 0), PodBuilder.Pod("db-1", CapacityType.OnDemand, ordinal: 1),
            PodBuilder.Pod("db-2", CapacityType.Spot, ordinal: 2), PodBuilder.Pod("db-3", CapacityType.Spot, ordinal: 3),
            PodBuilder.Pod("db-4", CapacityType.Spot, ordinal: 4),
        ];
        var context = PodBuilder.Context(3, 2, floor: 1) with { IsStatefulSet = true, OrdinalOrder = order };

        var plan = RebalancePlanner.Plan(context, pods);

        Assert.Equal(PlanOutcome.Act, plan.Outcome);
        Assert.Equal(new EvictionAction("db-2", CapacityType.Spot, CapacityType.OnDemand,
            "ordinal 2 belongs on on-demand (spot 3/3, on-demand 2/2)"), plan.Action);
    }
}
