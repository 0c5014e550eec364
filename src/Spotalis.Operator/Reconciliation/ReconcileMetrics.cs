using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Steering;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// The reconciler's metric bookkeeping: per-workload split gauges (removed when a workload stops being managed), the
/// state gauge, and the reconcile, eviction, move and policy-error counters. Without <see cref="OperatorMetrics"/>
/// (simulations, read-only views) every call does nothing.
/// </summary>
public sealed class ReconcileMetrics(OperatorMetrics? metrics)
{
    private static readonly string[] CapacityLabels = [CapacityTypes.ToLabelValue(CapacityType.Spot), CapacityTypes.ToLabelValue(CapacityType.OnDemand)];

    public void Reconciled(ReconcileOutcome outcome, TimeSpan took)
    {
        metrics?.Reconciles.WithLabels(outcome.Label()).Inc();
        metrics?.ReconcileDuration.Observe(took.TotalSeconds);
    }

    /// <param name="result">One of <see cref="EvictionResults"/>.</param>
    public void Eviction(string result) => metrics?.Evictions.WithLabels(result).Inc();

    public void MoveJudged(MoveVerdict verdict) => metrics?.MoveOutcomes.WithLabels(verdict.ToString().ToLowerInvariant()).Inc();

    public void PolicyError(WorkloadRef workload, string key) => metrics?.PolicyErrors.WithLabels(workload.Namespace, workload.Name, key).Inc();

    /// <summary>Sets the desired, actual, pending and fallback replica gauges of a managed workload.</summary>
    public void Workload(WorkloadEvaluation evaluation)
    {
        if (metrics is null)
        {
            return;
        }

        var (ns, name, kind) = (evaluation.Workload.Namespace, evaluation.Workload.Name, evaluation.Workload.Kind);
        metrics.DesiredReplicas.WithLabels(ns, name, kind, CapacityLabels[0]).Set(evaluation.Desired.Spot);
        metrics.DesiredReplicas.WithLabels(ns, name, kind, CapacityLabels[1]).Set(evaluation.Desired.OnDemand);
        metrics.ActualReplicas.WithLabels(ns, name, kind, CapacityLabels[0]).Set(evaluation.Actual.Spot);
        metrics.ActualReplicas.WithLabels(ns, name, kind, CapacityLabels[1]).Set(evaluation.Actual.OnDemand);
        metrics.PendingReplicas.WithLabels(ns, name, kind).Set(evaluation.Actual.Pending);
        metrics.FallbackReplicas.WithLabels(ns, name, kind).Set(evaluation.FallbackReplicas);
    }

    /// <summary>Removes the gauges of a workload that is no longer managed (or gone).</summary>
    public void Forgotten(WorkloadRef workload)
    {
        if (metrics is null)
        {
            return;
        }

        var (ns, name, kind) = (workload.Namespace, workload.Name, workload.Kind);
        foreach (var capacity in CapacityLabels)
        {
            metrics.DesiredReplicas.RemoveLabelled(ns, name, kind, capacity);
            metrics.ActualReplicas.RemoveLabelled(ns, name, kind, capacity);
        }

        metrics.PendingReplicas.RemoveLabelled(ns, name, kind);
        metrics.FallbackReplicas.RemoveLabelled(ns, name, kind);
    }

    /// <summary>Sets <c>spotalis_workloads</c> per state from the last state of every managed workload.</summary>
    public void States(IEnumerable<WorkloadState> states)
    {
        if (metrics is null)
        {
            return;
        }

        var counts = states.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        foreach (var value in Enum.GetValues<WorkloadState>())
        {
            metrics.Workloads.WithLabels(value.ToString()).Set(counts.GetValueOrDefault(value));
        }
    }
}
