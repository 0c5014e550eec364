using Spotalis.Scenarios;

namespace Spotalis.Simulation;

/// <summary>
/// The part of a scenario's hypothesis that is about keeping a workload available — the criteria a sweep holds
/// each workload to. Cost and savings criteria are left out (more spot only improves them, and they are what the
/// sweep reports), and so are spot interruptions, fallback minutes and spot share, which describe the spot
/// market and the mechanism rather than the workload's health.
/// </summary>
public static class AvailabilityCriteria
{
    /// <summary>Metrics that say whether a workload stayed available.</summary>
    public static IReadOnlyList<string> Metrics { get; } =
    [
        ScenarioMetrics.MinReadyReplicas,
        ScenarioMetrics.MinReadyPercent,
        ScenarioMetrics.FloorViolations,
        ScenarioMetrics.TimeToConvergeMinutes,
        ScenarioMetrics.PendingPodMinutes,
        ScenarioMetrics.Evictions,
    ];

    /// <summary>Used when the scenario states no availability criterion: the floor holds and at least half the replicas stay Ready.</summary>
    public static IReadOnlyList<SuccessCriterion> Defaults { get; } =
    [
        new(ScenarioMetrics.FloorViolations, ComparisonOperator.Lte, 0, null),
        new(ScenarioMetrics.MinReadyPercent, ComparisonOperator.Gte, 50, null),
    ];

    /// <summary>The scenario's availability criteria, or <see cref="Defaults"/> when it has none.</summary>
    public static IReadOnlyList<SuccessCriterion> Of(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var stated = (scenario.Hypothesis?.Criteria ?? []).Where(c => Metrics.Contains(c.Metric)).ToList();
        return stated.Count > 0 ? stated : Defaults;
    }

    /// <summary>
    /// Judges one workload of a run: its own criteria, plus every run-wide criterion applied to the workload alone
    /// (a run-wide "floorViolations &lt;= 0" means "for every workload"). No data counts as not met.
    /// </summary>
    public static HypothesisResult Judge(IReadOnlyList<SuccessCriterion> criteria, SimulationSummary summary, string workload)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(summary);
        var own = criteria.Where(c => c.Workload is null || c.Workload == workload).Select(c => c with { Workload = workload }).ToList();
        return CriteriaEvaluator.Evaluate(new Hypothesis($"{workload} stays available", own), summary);
    }
}
