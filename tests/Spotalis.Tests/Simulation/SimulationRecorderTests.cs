using Spotalis.Reporting;
using Spotalis.Simulation;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Simulation;

public class SimulationRecorderTests
{
    [Fact]
    public void Totals_measure_cost_convergence_and_availability()
    {
        var summary = SyntheticRun.Run();
        var totals = summary.Totals;

        // 2 h of 1 on-demand node at 0.2 plus 1 h 40 min of a spot node at 0.06.
        Assert.Equal(0.4 + (0.06 * 100 / 60), totals.Cost, 3);
        // Baseline: the same node-hours priced as on-demand slots (0.2 / 8 per slot-hour).
        Assert.Equal(0.4 + (0.2 * 100 / 60), totals.BaselineCost, 3);
        Assert.Equal(Math.Round(100 * (totals.BaselineCost - totals.Cost) / totals.BaselineCost, 2), totals.SavingsPercent);
        Assert.Equal(5, totals.TimeToConvergeMinutes);
        Assert.Equal(7, totals.MinReadyReplicas);
        Assert.Equal(70, totals.MinReadyPercent);
        Assert.Equal(0, totals.FloorViolations);
        Assert.Equal(1, totals.SpotInterruptions);
        Assert.Equal(1, totals.Evictions);
        Assert.Equal((10 * 1.5) + (3 * 2), totals.PendingPodMinutes);
        Assert.Equal(RunOutcome.Complete, summary.Outcome);
    }

    [Fact]
    public void Losing_ready_on_demand_replicas_below_the_floor_counts_as_a_violation_only_after_convergence()
    {
        var summary = SyntheticRun.Run((at, o) =>
            at >= TimeSpan.FromMinutes(70) && at < TimeSpan.FromMinutes(72) ? o with { ReadyOnDemand = 1, OnDemand = 1 } : o);

        Assert.Equal(1, summary.Totals.FloorViolations);
        var floor = summary.Hypothesis!.Criteria.Single(c => c.Metric == "floorViolations");
        Assert.Equal(Verdict.Invalidated, floor.Verdict);
        Assert.Equal(Verdict.Invalidated, summary.Hypothesis.Verdict);
    }

    [Fact]
    public void Criteria_get_validated_invalidated_or_insufficient_data()
    {
        var summary = SyntheticRun.Run();
        var criteria = summary.Hypothesis!.Criteria;

        Assert.Equal(Verdict.Validated, criteria.Single(c => c.Metric == "savingsPercent").Verdict);
        Assert.Equal(Verdict.Validated, criteria.Single(c => c.Metric == "floorViolations").Verdict);
        var minReady = criteria.Single(c => c.Metric == "minReadyReplicas");
        Assert.Equal(Verdict.Invalidated, minReady.Verdict);
        Assert.Equal(7, minReady.Actual);
        Assert.Equal(Verdict.Invalidated, criteria.Single(c => c.Metric == "timeToConvergeMinutes").Verdict);
        Assert.Equal(Verdict.Invalidated, summary.Hypothesis.Verdict);

        var neverConverges = SyntheticRun.Run((_, o) => o with { Pending = 1 });
        var converge = neverConverges.Hypothesis!.Criteria.Single(c => c.Metric == "timeToConvergeMinutes");
        Assert.Equal(Verdict.InsufficientData, converge.Verdict);
        Assert.Null(converge.Actual);
    }

    [Fact]
    public void Phases_run_from_pending_to_complete_with_deadlines()
    {
        var summary = SyntheticRun.Run();

        Assert.Equal(
            [SimulationPhase.Pending, SimulationPhase.Provisioning, SimulationPhase.Running, SimulationPhase.Complete],
            summary.Phases.Select(p => p.Phase));
        var provisioning = summary.Phases[1];
        Assert.Equal(120, provisioning.EndedAtSeconds);
        Assert.Equal(1800, provisioning.DeadlineSeconds);
        Assert.True(provisioning.Met);
        Assert.All(summary.Phases, p => Assert.True(p.Met));
    }

    [Fact]
    public void Series_are_sampled_and_aligned()
    {
        var summary = SyntheticRun.Run();
        var series = Assert.Single(summary.Workloads).Series;

        Assert.InRange(series.Seconds.Count, 200, SimulationRecorder.TargetSamples + 1);
        Assert.Equal(series.Seconds.Count, series.Spot.Count);
        Assert.Equal(series.Seconds.Count, series.OnDemand.Count);
        Assert.Equal(series.Seconds.Count, summary.Cost.Actual.Count);
        Assert.True(series.Seconds.SequenceEqual(series.Seconds.Order()));
        Assert.Equal(summary.Cost.Actual[^1], summary.Totals.Cost, 3);
    }

    [Fact]
    public void The_summary_json_round_trips_and_is_byte_for_byte_repeatable()
    {
        var first = SummaryJson.Serialize(SyntheticRun.Run());
        var second = SummaryJson.Serialize(SyntheticRun.Run());

        Assert.Equal(first, second);
        Assert.Contains("\"verdict\": \"invalidated\"", first, StringComparison.Ordinal);
        Assert.Contains("\"savingsPercent\":", first, StringComparison.Ordinal);
        var back = SummaryJson.Deserialize(first);
        Assert.NotNull(back);
        Assert.Equal(42, back!.Seed);
        Assert.Equal(SummaryJson.Serialize(back), first);
    }
}
