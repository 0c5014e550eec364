using System.Globalization;
using Spotalis.Scenarios;

namespace Spotalis.Simulation;

/// <summary>Judges a hypothesis against what a run measured.</summary>
public static class CriteriaEvaluator
{
    public static HypothesisResult Evaluate(Hypothesis hypothesis, SimulationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(summary);
        var results = hypothesis.Criteria.Select(c => Judge(c, summary)).ToList();
        var verdict = results.Any(r => r.Verdict == Verdict.Invalidated) ? Verdict.Invalidated
            : results.Any(r => r.Verdict == Verdict.InsufficientData) || results.Count == 0 ? Verdict.InsufficientData
            : Verdict.Validated;
        return new HypothesisResult(hypothesis.Statement, verdict, results);
    }

    private static CriterionResult Judge(SuccessCriterion criterion, SimulationSummary summary)
    {
        var actual = Measure(criterion, summary);
        var op = ComparisonOperators.ToName(criterion.Operator);
        var threshold = criterion.Value.ToString(CultureInfo.InvariantCulture);
        if (summary.Outcome == RunOutcome.Failed)
        {
            return new CriterionResult(criterion.Metric, op, criterion.Value, criterion.Workload, actual, Verdict.InsufficientData,
                $"the run failed before the end ({summary.FailureReason}), so its measurements are partial");
        }

        if (actual is not { } value)
        {
            return new CriterionResult(criterion.Metric, op, criterion.Value, criterion.Workload, null, Verdict.InsufficientData,
                $"the run produced no value for {criterion.Metric} (for example a workload never converged, or nothing ran)");
        }

        var met = criterion.IsMetBy(value);
        var shown = value.ToString(CultureInfo.InvariantCulture);
        return new CriterionResult(criterion.Metric, op, criterion.Value, criterion.Workload, value,
            met ? Verdict.Validated : Verdict.Invalidated,
            $"{shown} {(met ? "is" : "is not")} {ComparisonOperators.ToText(criterion.Operator)} {threshold}");
    }

    private static double? Measure(SuccessCriterion criterion, SimulationSummary summary)
    {
        if (criterion.Workload is { } key)
        {
            var workload = summary.Workloads.FirstOrDefault(w => w.Key == key);
            if (workload is null)
            {
                return null;
            }

            return Shared(criterion.Metric, workload.Totals);
        }

        var totals = summary.Totals;
        return criterion.Metric switch
        {
            ScenarioMetrics.SavingsPercent => totals.SavingsPercent,
            ScenarioMetrics.Cost => totals.Cost,
            ScenarioMetrics.BaselineCost => totals.BaselineCost,
            ScenarioMetrics.SpotInterruptions => totals.SpotInterruptions,
            _ => Shared(criterion.Metric, totals),
        };
    }

    /// <summary>The metrics a run and a workload both measure.</summary>
    private static double? Shared(string metric, IAvailabilityTotals totals) => metric switch
    {
        ScenarioMetrics.Evictions => totals.Evictions,
        ScenarioMetrics.FallbackMinutes => totals.FallbackMinutes,
        ScenarioMetrics.MinReadyReplicas => totals.MinReadyReplicas,
        ScenarioMetrics.MinReadyPercent => totals.MinReadyPercent,
        ScenarioMetrics.FloorViolations => totals.FloorViolations,
        ScenarioMetrics.TimeToConvergeMinutes => totals.TimeToConvergeMinutes,
        ScenarioMetrics.PendingPodMinutes => totals.PendingPodMinutes,
        ScenarioMetrics.SpotSharePercent => totals.SpotSharePercent,
        _ => null,
    };
}
