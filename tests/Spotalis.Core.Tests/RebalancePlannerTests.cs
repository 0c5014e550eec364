using static Spotalis.Core.Tests.PodBuilder;

using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

public sealed class RebalancePlannerTests
{
    [Fact]
    public void Balanced_workload_needs_no_action()
    {
        var plan = RebalancePlanner.Plan(Context(1, 1), [Spot("a"), OnDemand("b")]);

        Assert.Equal(PlanOutcome.Balanced, plan.Outcome);
        Assert.Null(plan.Action);
        Assert.Equal("balanced (spot 1/1, on-demand 1/1)", plan.Reason);
        Assert.Equal(new ActualSplit(1, 1, 0, 0, 1, 1, 0), plan.Actual);
    }

    [Fact]
    public void Surplus_on_demand_pod_is_moved_to_spot_newest_first()
    {
        var plan = RebalancePlanner.Plan(Context(1, 1), [OnDemand("old", 30), OnDemand("new", 5)]);

        Assert.Equal(PlanOutcome.Act, plan.Outcome);
        Assert.Equal(new EvictionAction("new", CapacityType.OnDemand, CapacityType.Spot,
            "it is the newest pod (spot 0/1, on-demand 2/1)"), plan.Action);
        Assert.Equal("evict new to move it from on-demand to spot: it is the newest pod (spot 0/1, on-demand 2/1)", plan.Reason);
    }

    [Fact]
    public void Surplus_spot_pod_is_moved_to_on_demand()
    {
        var plan = RebalancePlanner.Plan(Context(1, 2, floor: 2), [Spot("s1"), Spot("s2"), OnDemand("o1")]);

        Assert.Equal(PlanOutcome.Act, plan.Outcome);
        Assert.Equal(CapacityType.Spot, plan.Action!.From);
        Assert.Equal(CapacityType.OnDemand, plan.Action.To);
    }

    [Fact]
    public void Pending_pods_are_moved_first_because_they_cost_no_availability()
    {
        var plan = RebalancePlanner.Plan(Context(1, 2), [Spot("ready", 1), Spot("not-ready").NotReady(), Spot("pending", 20).Pending(), OnDemand("o")]);

        Assert.Equal("pending", plan.Action!.PodName);
        Assert.Contains("it is pending, so moving it costs no availability", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_ready_pods_come_before_ready_ones()
    {
        var plan = RebalancePlanner.Plan(Context(1, 2), [Spot("ready", 1).Leaving(), Spot("not-ready", 30).NotReady(), OnDemand("o")]);

        Assert.Equal("not-ready", plan.Action!.PodName);
        Assert.Contains("it is not Ready, so moving it costs no availability", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pods_on_leaving_nodes_come_before_healthy_ones()
    {
        var plan = RebalancePlanner.Plan(Context(1, 2), [Spot("new", 1), Spot("leaving", 30).Leaving(), OnDemand("o")]);

        Assert.Equal("leaving", plan.Action!.PodName);
        Assert.Contains("its node is leaving the cluster", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pods_of_an_old_revision_come_before_current_ones()
    {
        var plan = RebalancePlanner.Plan(Context(1, 2), [Spot("new", 1), Spot("old", 30).OldRevision(), OnDemand("o")]);

        Assert.Equal("old", plan.Action!.PodName);
        Assert.Contains("it runs an old revision", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Do_not_disrupt_pods_are_never_evicted()
    {
        var plan = RebalancePlanner.Plan(Context(1, 2, budget: 2), [Spot("p1").Pending().Protected(), Spot("p2"), OnDemand("o")]);

        Assert.Equal("p2", plan.Action!.PodName);
    }

    [Fact]
    public void When_every_candidate_is_protected_there_is_no_eligible_pod()
    {
        var plan = RebalancePlanner.Plan(Context(0, 2), [Spot("p1").Protected(), Spot("p2").Protected()]);

        Assert.Equal(PlanOutcome.NoEligiblePod, plan.Outcome);
        Assert.Null(plan.Action);
        Assert.Equal("every spot pod that could move to on-demand (2) carries karpenter.sh/do-not-disrupt=true (spot 2/0, on-demand 0/2)", plan.Reason);
    }

    [Fact]
    public void Failed_and_succeeded_pods_never_count()
    {
        var plan = RebalancePlanner.Plan(Context(1, 1), [Spot("s"), OnDemand("o"), Spot("f").Failed(), OnDemand("done").Succeeded()]);

        Assert.Equal(PlanOutcome.Balanced, plan.Outcome);
        Assert.Equal(new ActualSplit(1, 1, 0, 0, 1, 1, 0), plan.Actual);
    }

    [Fact]
    public void A_terminating_pod_uses_the_disruption_budget()
    {
        var plan = RebalancePlanner.Plan(Context(1, 2), [Spot("s1"), Spot("s2"), OnDemand("o1"), OnDemand("gone").Terminating()]);

        Assert.Equal(PlanOutcome.DisruptionInFlight, plan.Outcome);
        Assert.Equal("1 pod(s) not Ready, terminating or missing; disruption budget is 1, waiting before moving s1 (spot 2/1, on-demand 1/2)", plan.Reason);
    }

    [Fact]
    public void A_replacement_that_is_not_ready_yet_uses_the_disruption_budget()
    {
        var plan = RebalancePlanner.Plan(Context(1, 3), [Spot("s1"), Spot("s2"), OnDemand("o1"), OnDemand("new").NotReady()]);

        Assert.Equal(PlanOutcome.DisruptionInFlight, plan.Outcome);
    }

    [Fact]
    public void A_missing_pod_uses_the_disruption_budget()
    {
        // 3 replicas desired, only 2 live: the ReplicaSet has not created the replacement yet.
        var plan = RebalancePlanner.Plan(Context(0, 3), [Spot("s1"), OnDemand("o1")]);

        Assert.Equal(PlanOutcome.DisruptionInFlight, plan.Outcome);
        Assert.Contains("1 pod(s) not Ready, terminating or missing", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_larger_budget_allows_a_second_disruption_in_flight()
    {
        var plan = RebalancePlanner.Plan(Context(1, 3, budget: 2), [Spot("s1"), Spot("s2"), OnDemand("o1"), OnDemand("new").NotReady()]);

        Assert.Equal(PlanOutcome.Act, plan.Outcome);
    }

    [Fact]
    public void Cooldown_blocks_the_next_eviction_and_says_how_long()
    {
        var context = Context(0, 1) with { LastDisruptionAt = Now.AddSeconds(-10) };

        var plan = RebalancePlanner.Plan(context, [Spot("s")]);

        Assert.Equal(PlanOutcome.Cooldown, plan.Outcome);
        Assert.Equal("cooldown: last disruption (eviction or newest pod) 10s ago, next allowed in 20s; next move: s (spot 1/0, on-demand 0/1)", plan.Reason);
        Assert.Null(plan.Action);
        Assert.Equal("s", plan.NextMove?.PodName);
    }

    [Fact]
    public void After_the_cooldown_the_eviction_proceeds()
    {
        var context = Context(0, 1) with { LastDisruptionAt = Now.AddSeconds(-30) };

        Assert.Equal(PlanOutcome.Act, RebalancePlanner.Plan(context, [Spot("s")]).Outcome);
    }

    [Fact]
    public void Cooldown_also_applies_to_moving_not_ready_pods()
    {
        var context = Context(0, 1) with { LastDisruptionAt = Now.AddSeconds(-1) };

        Assert.Equal(PlanOutcome.Cooldown, RebalancePlanner.Plan(context, [Spot("s").Pending()]).Outcome);
    }

    [Fact]
    public void Outside_the_window_ready_pods_are_not_moved()
    {
        var context = Context(0, 1) with { WindowOpen = false };

        var plan = RebalancePlanner.Plan(context, [Spot("s")]);

        Assert.Equal(PlanOutcome.OutsideWindow, plan.Outcome);
        Assert.Equal("outside the disruption window; next move: s from spot to on-demand (spot 1/0, on-demand 0/1)", plan.Reason);
    }

    [Fact]
    public void Outside_the_window_pending_pods_may_still_move_because_that_disrupts_nothing()
    {
        var context = Context(0, 1) with { WindowOpen = false };

        Assert.Equal(PlanOutcome.Act, RebalancePlanner.Plan(context, [Spot("s").Pending()]).Outcome);
    }

    [Fact]
    public void Never_evicts_below_the_on_demand_floor()
    {
        // o2 is not Ready and protected, so the only candidate is o1: the last Ready on-demand pod.
        var plan = RebalancePlanner.Plan(Context(2, 1, floor: 1), [Spot("s1"), OnDemand("o1"), OnDemand("o2").NotReady().Protected()]);

        Assert.Equal(PlanOutcome.WouldBreakFloor, plan.Outcome);
        Assert.Equal("evicting o1 would leave 0 Ready on-demand pod(s), below the floor of 1 (spot 1/2, on-demand 2/1)", plan.Reason);
    }

    [Fact]
    public void Stateful_set_high_ordinal_stays_on_demand_while_a_low_ordinal_is_not_ready()
    {
        // db-0 belongs on on-demand but is not Ready; moving db-2 to spot would leave only db-1 Ready on on-demand.
        var context = Context(1, 2, floor: 2) with { IsStatefulSet = true, OrdinalOrder = new StatefulSetOrder(50, 2) };
        PodState[] pods = [Pod("db-0", CapacityType.OnDemand, ordinal: 0).NotReady(), Pod("db-1", CapacityType.OnDemand, ordinal: 1), Pod("db-2", CapacityType.OnDemand, ordinal: 2)];

        var plan = RebalancePlanner.Plan(context with { DisruptionBudget = 2 }, pods);

        Assert.Equal(PlanOutcome.WouldBreakFloor, plan.Outcome);
        Assert.Equal("evicting db-2 would leave 1 Ready on-demand pod(s), below the floor of 2 (spot 0/1, on-demand 3/2)", plan.Reason);
    }

    [Fact]
    public void Read_only_reports_the_action_it_would_take()
    {
        var context = Context(1, 1) with { ReadOnly = true };

        var plan = RebalancePlanner.Plan(context, [OnDemand("o1"), OnDemand("o2", 1)]);

        Assert.Equal(PlanOutcome.ReadOnly, plan.Outcome);
        Assert.Equal("o2", plan.Action!.PodName);
        Assert.StartsWith("read-only mode; would evict o2", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_only_still_respects_every_other_rule()
    {
        var context = Context(1, 1) with { ReadOnly = true, WindowOpen = false };

        Assert.Equal(PlanOutcome.OutsideWindow, RebalancePlanner.Plan(context, [OnDemand("o1"), OnDemand("o2")]).Outcome);
    }

    [Fact]
    public void Rollouts_are_left_to_the_workload_controller()
    {
        var context = Context(1, 1) with { RolloutInProgress = true };

        var plan = RebalancePlanner.Plan(context, [OnDemand("o1"), OnDemand("o2")]);

        Assert.Equal(PlanOutcome.RolloutInProgress, plan.Outcome);
        Assert.Null(plan.Action);
    }

    [Fact]
    public void Pods_of_unknown_capacity_block_rebalancing_with_a_hint()
    {
        var plan = RebalancePlanner.Plan(Context(1, 1), [Spot("s"), Pod("u", null)]);

        Assert.Equal(PlanOutcome.NoEligiblePod, plan.Outcome);
        Assert.Equal("1 pod(s) run on nodes of unknown capacity type; check the nodeClassifier preset (spot 1/1, on-demand 0/1, unknown 1)", plan.Reason);
    }

    [Fact]
    public void A_clear_surplus_is_still_fixed_despite_unknown_pods()
    {
        var plan = RebalancePlanner.Plan(Context(1, 2), [Spot("s1"), Spot("s2"), Pod("u", null)]);

        Assert.Equal(PlanOutcome.Act, plan.Outcome);
        Assert.Equal(CapacityType.OnDemand, plan.Action!.To);
    }

    [Fact]
    public void Missing_pods_are_awaited()
    {
        var plan = RebalancePlanner.Plan(Context(2, 1), [Spot("s1"), OnDemand("o1")]);

        Assert.Equal(PlanOutcome.DisruptionInFlight, plan.Outcome);
        Assert.Equal("waiting for 1 missing pod(s) to be created (spot 1/2, on-demand 1/1)", plan.Reason);
    }

    [Fact]
    public void Extra_pods_are_left_to_scale_down()
    {
        var plan = RebalancePlanner.Plan(Context(1, 1), [Spot("s1"), Spot("s2"), OnDemand("o1")]);

        Assert.Equal(PlanOutcome.DisruptionInFlight, plan.Outcome);
        Assert.Equal("waiting for scale-down to remove 1 extra pod(s) (spot 2/1, on-demand 1/1)", plan.Reason);
    }

    [Fact]
    public void Spot_unavailable_evicts_a_pending_spot_pod_so_it_is_recreated_on_demand_even_during_rollout_and_cooldown()
    {
        var context = Context(2, 1) with { SpotUnavailable = true, RolloutInProgress = true, LastDisruptionAt = Now, WindowOpen = false };

        var plan = RebalancePlanner.Plan(context, [Spot("s1"), Spot("stuck", 3).Pending(), Spot("newer", 1).Pending(), OnDemand("o1")]);

        Assert.Equal(PlanOutcome.Act, plan.Outcome);
        Assert.Equal(new EvictionAction("stuck", CapacityType.Spot, CapacityType.OnDemand,
            "spot capacity is unavailable and it is pending, so moving it costs no availability (spot 3/2, on-demand 1/1)"),
            plan.Action);
        Assert.Equal("evict stuck to move it from spot to on-demand: spot capacity is unavailable and it is pending, so moving it costs no availability (spot 3/2, on-demand 1/1)", plan.Reason);
    }

    [Fact]
    public void Spot_unavailable_in_read_only_reports_the_fallback_eviction()
    {
        var context = Context(1, 0) with { SpotUnavailable = true, ReadOnly = true };

        var plan = RebalancePlanner.Plan(context, [Spot("stuck").Pending()]);

        Assert.Equal(PlanOutcome.ReadOnly, plan.Outcome);
        Assert.Equal("stuck", plan.Action!.PodName);
    }

    [Fact]
    public void Spot_unavailable_keeps_running_spot_pods_and_does_not_move_pods_to_spot()
    {
        var context = Context(2, 1) with { SpotUnavailable = true };

        var plan = RebalancePlanner.Plan(context, [Spot("s1"), OnDemand("fallback"), OnDemand("o1")]);

        Assert.Equal(PlanOutcome.NoEligiblePod, plan.Outcome);
        Assert.Equal("spot capacity is unavailable; pods stay on on-demand until spot returns (spot 1/2, on-demand 2/1)", plan.Reason);
    }

    [Fact]
    public void Spot_unavailable_does_not_protect_a_protected_pending_pod()
    {
        var context = Context(1, 0) with { SpotUnavailable = true };

        var plan = RebalancePlanner.Plan(context, [Spot("stuck").Pending().Protected()]);

        Assert.NotEqual(PlanOutcome.Act, plan.Outcome);
    }

    [Fact]
    public void Spot_unavailable_still_moves_a_spot_surplus_to_on_demand()
    {
        var context = Context(0, 2) with { SpotUnavailable = true };

        var plan = RebalancePlanner.Plan(context, [Spot("s1"), OnDemand("o1")]);

        Assert.Equal(PlanOutcome.Act, plan.Outcome);
        Assert.Equal(CapacityType.OnDemand, plan.Action!.To);
    }

    [Fact]
    public void Stateful_sets_move_low_ordinals_to_on_demand_first()
    {
        var context = Context(2, 2) with { IsStatefulSet = true, OrdinalOrder = new StatefulSetOrder(50, 0) };
        PodState[] pods = [Pod("db-0", CapacityType.Spot, ordinal: 0), Pod("db-1", CapacityType.OnDemand, ordinal: 1), Pod("db-2", CapacityType.OnDemand, ordinal: 2), Pod("db-3", CapacityType.Spot, ordinal: 3)];

        var plan = RebalancePlanner.Plan(context, pods);

        Assert.Equal(new EvictionAction("db-0", CapacityType.Spot, CapacityType.OnDemand,
            "ordinal 0 belongs on on-demand (spot 2/2, on-demand 2/2)"), plan.Action);
    }

    [Fact]
    public void Stateful_sets_move_high_ordinals_to_spot_highest_first()
    {
        var context = Context(2, 1) with { IsStatefulSet = true, OrdinalOrder = new StatefulSetOrder(67, 0) };
        PodState[] pods = [Pod("db-0", CapacityType.OnDemand, ordinal: 0), Pod("db-1", CapacityType.OnDemand, ordinal: 1), Pod("db-2", CapacityType.OnDemand, ordinal: 2)];

        var plan = RebalancePlanner.Plan(context, pods);

        Assert.Equal("db-2", plan.Action!.PodName);
        Assert.Equal(CapacityType.Spot, plan.Action.To);
    }

    [Fact]
    public void Stateful_sets_with_matching_counts_but_swapped_ordinals_are_not_balanced()
    {
        var context = Context(1, 1) with { IsStatefulSet = true, OrdinalOrder = new StatefulSetOrder(50, 0) };

        var plan = RebalancePlanner.Plan(context, [Pod("db-0", CapacityType.Spot, ordinal: 0), Pod("db-1", CapacityType.OnDemand, ordinal: 1)]);

        Assert.Equal(PlanOutcome.Act, plan.Outcome);
        Assert.Equal("db-0", plan.Action!.PodName);
    }

    [Fact]
    public void Stateful_set_ordinals_beyond_the_replica_count_are_left_to_scale_down()
    {
        var context = Context(1, 1) with { IsStatefulSet = true, OrdinalOrder = new StatefulSetOrder(50, 0) };

        var plan = RebalancePlanner.Plan(context, [Pod("db-0", CapacityType.OnDemand, ordinal: 0), Pod("db-1", CapacityType.Spot, ordinal: 1), Pod("db-2", CapacityType.OnDemand, ordinal: 2)]);

        Assert.Equal(PlanOutcome.DisruptionInFlight, plan.Outcome);
        Assert.Contains("scale-down", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Balanced_stateful_set()
    {
        var context = Context(1, 1) with { IsStatefulSet = true, OrdinalOrder = new StatefulSetOrder(50, 0) };

        var plan = RebalancePlanner.Plan(context, [Pod("db-0", CapacityType.OnDemand, ordinal: 0), Pod("db-1", CapacityType.Spot, ordinal: 1)]);

        Assert.Equal(PlanOutcome.Balanced, plan.Outcome);
    }

    [Fact]
    public void Stateful_set_spot_unavailable_does_not_move_high_ordinals_to_spot()
    {
        var context = Context(1, 1) with { IsStatefulSet = true, SpotUnavailable = true, OrdinalOrder = new StatefulSetOrder(50, 0) };

        var plan = RebalancePlanner.Plan(context, [Pod("db-0", CapacityType.OnDemand, ordinal: 0), Pod("db-1", CapacityType.OnDemand, ordinal: 1)]);

        Assert.Equal(PlanOutcome.NoEligiblePod, plan.Outcome);
    }

    [Fact]
    public void Stateful_set_pods_without_ordinals_fall_back_to_counting()
    {
        var context = Context(1, 1) with { IsStatefulSet = true, OrdinalOrder = new StatefulSetOrder(50, 0) };

        var plan = RebalancePlanner.Plan(context, [OnDemand("a"), OnDemand("b")]);

        Assert.Equal(PlanOutcome.Act, plan.Outcome);
        Assert.Equal(CapacityType.Spot, plan.Action!.To);
    }

    [Fact]
    public void No_pods_and_no_replicas_is_balanced()
    {
        Assert.Equal(PlanOutcome.Balanced, RebalancePlanner.Plan(Context(0, 0), []).Outcome);
    }
}
