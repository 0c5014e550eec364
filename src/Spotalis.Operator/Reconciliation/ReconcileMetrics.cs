using Microsoft.Extensions.Logging;
using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Steering;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// The reconciler's metric bookkeeping: per-workload split gauges (removed when a workload stops being managed) for at
/// most <paramref name="perWorkloadSeriesLimit"/> workloads, the state gauge, and the reconcile, eviction, move and
/// policy-error counters. Without <see cref="OperatorMetrics"/> (simulations, read-only views) every call does nothing.
/// </summary>
public sealed class ReconcileMetrics(OperatorMetrics? metrics, int perWorkloadSeriesLimit = EndpointSettings.DefaultPerWorkloadSeriesLimit, ILogger? logger = null)
{
    private static readonly string[] CapacityLabels = [CapacityTypes.ToLabelValue(CapacityType.Spot), CapacityTypes.ToLabelValue(CapacityType.OnDemand)];
    private readonly HashSet<WorkloadRef> _withSeries = [];
    private readonly int[] _stateCounts = new int[Enum.GetValues<WorkloadState>().Max(s => (int)s) + 1];
    private bool _limitReported;

    public void Reconciled(ReconcileOutcome outcome, TimeSpan took)
    {
        metrics?.Reconciles.WithLabels(outcome.Label()).Inc();
        metrics?.ReconcileDuration.Observe(took.TotalSeconds);
    }

    /// <param name="result">One of <see cref="EvictionResults"/>.</param>
    public void Eviction(string result) => metrics?.Evictions.WithLabels(result).Inc();

    public void MoveJudged(MoveVerdict verdict) => metrics?.MoveOutcomes.WithLabels(verdict.ToString().ToLowerInvariant()).Inc();

    public void PolicyError(WorkloadRef workload, string key) => metrics?.PolicyErrors.WithLabels(workload.Namespace, workload.Name, key).Inc();

    /// <summary>
    /// Sets the desired, actual, pending and fallback replica gauges of a managed workload, if it has series: the first
    /// <c>perWorkloadSeriesLimit</c> workloads reconciled do (a slot frees when one is forgotten); the rest do not.
    /// </summary>
    public void Workload(WorkloadEvaluation evaluation)
    {
        if (metrics is null || !HasSeries(evaluation.Workload))
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

        lock (_withSeries)
        {
            if (!_withSeries.Remove(workload))
            {
                return;
            }
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

    private bool HasSeries(WorkloadRef workload)
    {
        lock (_withSeries)
        {
            if (_withSeries.Contains(workload))
            {
                return true;
            }

            if (_withSeries.Count < perWorkloadSeriesLimit)
            {
                _withSeries.Add(workload);
                return true;
            }

            if (!_limitReported && logger is not null)
            {
                _limitReported = true;
                Log.PerWorkloadSeriesLimitReached(logger, perWorkloadSeriesLimit, workload);
            }

            return false;
        }
    }

    /// <summary>
    /// Moves one workload from state <paramref name="from"/> to <paramref name="to"/> in <c>spotalis_workloads</c>
    /// (null = not counted: new, or forgotten). Counted as it changes, not recounted over every workload per reconcile.
    /// </summary>
    public void StateChanged(WorkloadState? from, WorkloadState? to)
    {
        if (metrics is null || from == to)
        {
            return;
        }

        lock (_stateCounts)
        {
            if (from is { } old)
            {
                _stateCounts[(int)old]--;
            }

            if (to is { } now)
            {
                _stateCounts[(int)now]++;
            }

            foreach (var value in Enum.GetValues<WorkloadState>())
            {
                metrics.Workloads.WithLabels(value.ToString()).Set(_stateCounts[(int)value]);
            }
        }
    }
}
