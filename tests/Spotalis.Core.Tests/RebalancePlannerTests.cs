namespace Spotalis.Core.Tests;

public sealed class RebalancePlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static PodState Pod(string name, CapacityType type, bool ready = true) =>
        new(name, type, ready, true, false, false, false, false, false, Now.AddMinutes(-10), null, true);

    private static PlanningContext Context(DesiredSplit desired, int floor = 0) =>
        new(desired, floor, 1, false, false, true, Now, null, TimeSpan.FromSeconds(30), false);

    [Fact]
    public void Balanced_workload_needs_no_action()
    {
        var plan = RebalancePlanner.Plan(Context(new DesiredSplit(1, 1)), [Pod("a", CapacityType.Spot), Pod("b", CapacityType.OnDemand)]);

        Assert.Equal(PlanOutcome.Balanced, plan.Outcome);
        Assert.Null(plan.Action);
    }

    [Fact]
    public void Surplus_on_demand_pod_is_moved_to_spot()
    {
        var plan = RebalancePlanner.Plan(Context(new DesiredSplit(1, 1)), [Pod("a", CapacityType.OnDemand), Pod("b", CapacityType.OnDemand)]);

        Assert.Equal(PlanOutcome.Act, plan.Outcome);
        Assert.Equal(CapacityType.Spot, plan.Action!.To);
    }
}
