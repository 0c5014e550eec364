using Spotalis.Scenarios;
using Spotalis.Simulation;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Simulation;

public class SweepRunnerTests
{
    private static readonly Scenario FloorOnly = SyntheticRun.Scenario with
    {
        Hypothesis = new Hypothesis("the floor holds", [new SuccessCriterion(ScenarioMetrics.FloorViolations, ComparisonOperator.Lte, 0, null), new SuccessCriterion(ScenarioMetrics.SavingsPercent, ComparisonOperator.Gte, 90, null)]),
    };

    [Fact]
    public void The_recommendation_is_the_highest_share_below_the_first_failure_even_when_a_higher_share_passes_by_luck()
    {
        int[] grid = [0, 25, 50, 75, 100];
        var runs = grid.Select((spot, i) => WithFloorViolations(i == 2 ? 1 : 0, savings: spot / 2.0)).ToList();

        var sweep = SweepRunner.Summarize(FloorOnly, grid.Select(s => new PolicyOverride(s, null)).ToList(), runs, grid, null);

        var web = Assert.Single(sweep.Recommendations);
        Assert.Equal(25, web.SpotPercentage);
        Assert.Equal(12.5, web.SavingsPercent);
        Assert.Equal(70, web.CurrentSpotPercentage);
        Assert.Equal("50 % spot: floorViolations was 1 (needs <= 0)", web.FirstUnmet);
        Assert.Equal(["floorViolations <= 0"], sweep.Criteria);
        Assert.Equal([true, true, false, true, true], sweep.Points.Select(p => p.Workloads.Single().Met));
    }

    [Fact]
    public void A_workload_that_fails_even_at_the_lowest_share_gets_no_recommendation()
    {
        int[] grid = [0, 100];
        var runs = grid.Select(_ => WithFloorViolations(2, savings: 0)).ToList();

        var sweep = SweepRunner.Summarize(FloorOnly, grid.Select(s => new PolicyOverride(s, null)).ToList(), runs, grid, null);

        var web = Assert.Single(sweep.Recommendations);
        Assert.Null(web.SpotPercentage);
        Assert.StartsWith("0 % spot: floorViolations was 2", web.FirstUnmet, StringComparison.Ordinal);
    }

    [Fact]
    public void With_floors_the_highest_safe_share_wins_and_names_its_floor()
    {
        int[] spots = [0, 50, 75];
        int[] floors = [1, 3];
        var grid = floors.SelectMany(f => spots.Select(s => new PolicyOverride(s, f))).ToList();
        var runs = grid.Select(p => WithFloorViolations(p.MinOnDemand == 1 && p.SpotPercentage >= 50 ? 1 : 0, savings: p.SpotPercentage!.Value / 2.0)).ToList();

        var sweep = SweepRunner.Summarize(FloorOnly, grid, runs, spots, floors);

        var web = Assert.Single(sweep.Recommendations);
        Assert.Equal(75, web.SpotPercentage);
        Assert.Equal(3, web.MinOnDemand);
        Assert.Equal(["spot-000-floor-1", "spot-050-floor-1", "spot-075-floor-1", "spot-000-floor-3", "spot-050-floor-3", "spot-075-floor-3"], sweep.Points.Select(p => p.Directory));
    }

    [Theory]
    [InlineData(20.0, 20.0, 3)]
    [InlineData(25.0, 20.0, 1)]
    public void Of_floors_that_reach_the_same_share_the_one_that_saves_more_wins_and_at_equal_savings_the_higher_floor(double savingsAtFloor1, double savingsAtFloor3, int expectedFloor)
    {
        int[] spots = [0, 50];
        int[] floors = [1, 3];
        var grid = floors.SelectMany(f => spots.Select(s => new PolicyOverride(s, f))).ToList();
        var runs = grid.Select(p => WithFloorViolations(0, savings: p.SpotPercentage == 0 ? 0 : p.MinOnDemand == 1 ? savingsAtFloor1 : savingsAtFloor3)).ToList();

        var sweep = SweepRunner.Summarize(FloorOnly, grid, runs, spots, floors);

        var web = Assert.Single(sweep.Recommendations);
        Assert.Equal(50, web.SpotPercentage);
        Assert.Equal(expectedFloor, web.MinOnDemand);
        Assert.Null(web.FirstUnmet);
    }

    [Fact]
    public void Without_availability_criteria_the_defaults_apply_and_are_named()
    {
        var scenario = SyntheticRun.Scenario with { Hypothesis = new Hypothesis("saves", [new SuccessCriterion(ScenarioMetrics.SavingsPercent, ComparisonOperator.Gte, 30, null)]) };

        var criteria = AvailabilityCriteria.Of(scenario);

        Assert.Equal(["floorViolations <= 0", "minReadyPercent >= 50"], criteria.Select(c => c.ToString()));
    }

    [Fact]
    public void A_run_wide_criterion_is_judged_on_each_workload_alone()
    {
        var run = SyntheticRun.Run();
        var criteria = new[] { new SuccessCriterion(ScenarioMetrics.MinReadyReplicas, ComparisonOperator.Gte, 7, null), new SuccessCriterion(ScenarioMetrics.MinReadyReplicas, ComparisonOperator.Gte, 99, "other/workload") };

        var judged = AvailabilityCriteria.Judge(criteria, run, "shop/web");

        var only = Assert.Single(judged.Criteria);
        Assert.Equal("shop/web", only.Workload);
        Assert.Equal(Verdict.Validated, judged.Verdict);
    }

    [Fact]
    public void A_policy_override_rewrites_every_workloads_annotations_and_keeps_the_rest()
    {
        var scenario = SyntheticRun.Scenario;

        var changed = new PolicyOverride(40, null).Apply(scenario);

        var web = Assert.Single(changed.Workloads);
        Assert.Equal("40", web.Annotations["spotalis.io/spot-percentage"]);
        Assert.Equal("2", web.Annotations["spotalis.io/min-on-demand"]);
        Assert.Equal("70", scenario.Workloads[0].Annotations["spotalis.io/spot-percentage"]);
    }

    [Theory]
    [InlineData("0:100:10", new[] { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 })]
    [InlineData("0:100:30", new[] { 0, 30, 60, 90 })]
    [InlineData("70,0, 50,70", new[] { 0, 50, 70 })]
    [InlineData("40", new[] { 40 })]
    public void Sweep_grids_are_ranges_or_lists(string text, int[] expected)
    {
        Assert.True(SweepGrid.TryParse(text, 0, 100, out var values, out var error), error);
        Assert.Equal(expected, values);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0:100")]
    [InlineData("10:0:5")]
    [InlineData("0:100:-5")]
    [InlineData("-10,50")]
    [InlineData("0:100000:1")]
    public void Bad_sweep_grids_are_refused_with_a_reason(string text)
    {
        Assert.False(SweepGrid.TryParse(text, 0, 100, out _, out var error));
        Assert.NotEmpty(error);
    }

    private static SimulationSummary WithFloorViolations(int violations, double savings)
    {
        var run = SyntheticRun.Run();
        var web = run.Workloads[0];
        return run with { Workloads = [web with { Totals = web.Totals with { FloorViolations = violations, SavingsPercent = savings } }] };
    }
}
