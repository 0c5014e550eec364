using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Spotalis.Core;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// Decides and takes the next safe step for one workload. <see cref="Evaluate"/> is pure (cache + clock in, a
/// <see cref="WorkloadEvaluation"/> out); <see cref="ReconcileAsync"/> evaluates, then acts only through
/// <see cref="IPodActions"/>: at most one eviction per call, pod-deletion-cost annotations, Events, metrics.
/// </summary>
public sealed class WorkloadReconciler
{
    private static readonly TimeSpan MinPdbRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPdbRetry = TimeSpan.FromSeconds(60);

    private readonly IClusterView _view;
    private readonly IPodActions _actions;
    private readonly ReconcilerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OperatorMetrics? _metrics;
    private readonly Func<bool> _isLeader;
    private readonly RateLimiter? _evictionLimiter;
    private readonly ConcurrentDictionary<WorkloadRef, WorkloadMemory> _memory = new();
    private readonly ConcurrentDictionary<WorkloadRef, byte> _waitingForEvictionToken = new();

    public WorkloadReconciler(
        IClusterView view,
        IPodActions actions,
        ReconcilerOptions options,
        TimeProvider time,
        ILogger logger,
        OperatorMetrics? metrics = null,
        Func<bool>? isLeader = null,
        RateLimiter? evictionLimiter = null)
    {
        _view = view;
        _actions = actions;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _isLeader = isLeader ?? (() => true);
        _evictionLimiter = evictionLimiter;
    }

    /// <summary>Computes policy, desired and actual split, state and the next planned action; no I/O.</summary>
    public WorkloadEvaluation Evaluate(WorkloadRef workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return WorkloadEvaluator.Evaluate(_view, _options, workload, _time.GetUtcNow(), _memory.GetValueOrDefault(workload));
    }

    /// <summary>Evaluates the workload, then takes at most one eviction and keeps deletion costs, Events and metrics current.</summary>
    public async Task<ReconcileResult> ReconcileAsync(WorkloadRef workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var started = Stopwatch.GetTimestamp();
        var evaluation = Evaluate(workload);
        ReconcileResult result;
        try
        {
            result = await ActAsync(evaluation, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError(e, "Reconcile of {Workload} failed", workload);
            result = new ReconcileResult(ReconcileResult.Error, null, evaluation);
        }

        _metrics?.Reconciles.WithLabels(result.Result).Inc();
        _metrics?.ReconcileDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return result;
    }

    /// <summary>The last state this process saw per managed workload (for <c>spotalis_workloads</c>).</summary>
    public IReadOnlyDictionary<WorkloadRef, WorkloadState> States =>
        _memory.Where(pair => pair.Value.LastState is not null).ToDictionary(pair => pair.Key, pair => pair.Value.LastState!.Value);

    private async Task<ReconcileResult> ActAsync(WorkloadEvaluation evaluation, CancellationToken cancellationToken)
    {
        var workload = evaluation.Workload;
        if (!evaluation.Managed)
        {
            Forget(workload);
            return new ReconcileResult(ReconcileResult.Success, null, evaluation);
        }

        var memory = _memory.GetOrAdd(workload, _ => new WorkloadMemory());
        UpdateWorkloadMetrics(evaluation);
        var leader = _isLeader();
        var now = _time.GetUtcNow();
        var snapshot = evaluation.Snapshot!;

        if (evaluation.State == WorkloadState.InvalidPolicy)
        {
            await ReportInvalidPolicyAsync(evaluation, memory, leader, cancellationToken);
            SetState(memory, evaluation.State);
            return new ReconcileResult(ReconcileResult.Success, null, evaluation);
        }

        memory.ReportedPolicyErrors = null;
        if (evaluation.Policy is { Notes.Count: > 0 } parsed && memory.ReportedPolicyNotes != string.Join("|", parsed.Notes.Select(n => n.Message)))
        {
            memory.ReportedPolicyNotes = string.Join("|", parsed.Notes.Select(n => n.Message));
            _logger.LogInformation("Policy of {Workload} uses a Go-release form: {Notes}", workload, memory.ReportedPolicyNotes.Replace("|", "; ", StringComparison.Ordinal));
        }

        if (!leader)
        {
            SetState(memory, evaluation.State);
            return new ReconcileResult(ReconcileResult.Success, DelayUntil(evaluation.NextCheckAt, now), evaluation);
        }

        if (evaluation.Fallback is { SpotUnavailable: true } && !memory.SpotUnavailable)
        {
            await RecordAsync(evaluation, "Warning", EventReasons.FallbackToOnDemand, "Fallback",
                $"Spot capacity is unavailable: {evaluation.Fallback.Reason} until it returns", null, cancellationToken);
        }

        memory.SpotUnavailable = evaluation.Fallback?.SpotUnavailable ?? false;

        if (!_options.ReadOnly)
        {
            foreach (var change in evaluation.DeletionCosts)
            {
                await _actions.SetDeletionCostAsync(workload.Namespace, change.PodName, change.Cost, cancellationToken);
            }
        }

        var plan = evaluation.Plan!;
        if (plan.Outcome != PlanOutcome.Act)
        {
            _waitingForEvictionToken.TryRemove(workload, out _);
        }

        var result = plan switch
        {
            { Outcome: PlanOutcome.ReadOnly, Action: { } wouldEvict } => await ReportWouldEvictAsync(evaluation, memory, wouldEvict, cancellationToken),
            { Outcome: PlanOutcome.Act, Action: { } action } when !_options.ReadOnly => await EvictAsync(evaluation, memory, action, cancellationToken),
            _ => new ReconcileResult(ReconcileResult.Success, DelayUntil(evaluation.NextCheckAt, now), evaluation),
        };

        if (evaluation.State == WorkloadState.Balanced && memory.LastState is { } previous && previous != WorkloadState.Balanced)
        {
            await RecordAsync(evaluation, "Normal", EventReasons.Balanced, "Rebalance",
                $"Balanced at {evaluation.Actual.Spot} spot / {evaluation.Actual.OnDemand} on-demand, as desired", null, cancellationToken);
        }

        if (plan.Outcome != PlanOutcome.ReadOnly)
        {
            memory.ReportedWouldEvict.Clear();
        }

        SetState(memory, memory.BlockedByPdbAt is not null && evaluation.State == WorkloadState.Rebalancing ? WorkloadState.BlockedByPdb : evaluation.State);
        _logger.LogDebug("Reconciled {Workload} ({Uid}): {State}, {Reason}", workload, snapshot.Uid, evaluation.State, evaluation.Reason);
        return result;
    }

    private async Task<ReconcileResult> EvictAsync(WorkloadEvaluation evaluation, WorkloadMemory memory, EvictionAction action, CancellationToken cancellationToken)
    {
        var workload = evaluation.Workload;
        if (_evictionLimiter is not null)
        {
            using var lease = _evictionLimiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                var retry = RetryAfterRateLimit(workload, lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1));
                _logger.LogDebug("Global eviction rate limit reached; {Workload} retries in {Delay}", workload, retry);
                return new ReconcileResult(ReconcileResult.Requeue, retry, evaluation);
            }

            _waitingForEvictionToken.TryRemove(workload, out _);
        }

        var from = CapacityTypes.ToLabelValue(action.From);
        var to = CapacityTypes.ToLabelValue(action.To);
        var result = await _actions.EvictAsync(workload.Namespace, action.PodName, cancellationToken);
        var now = _time.GetUtcNow();
        switch (result.Outcome)
        {
            case EvictionOutcome.Evicted:
                memory.LastEvictionAt = now;
                if (_view.GetPods(workload).FirstOrDefault(p => p.Name == action.PodName) is { } evicted)
                {
                    memory.Evicted(evicted.Name, evicted.Uid);
                }

                memory.BlockedByPdbAt = null;
                memory.ConsecutiveBlocks = 0;
                _metrics?.Evictions.WithLabels(EvictionResults.Evicted).Inc();
                _logger.LogInformation("Evicted {Pod} of {Workload} from {From} to move it to {To}: {Reason}", action.PodName, workload, from, to, action.Reason);
                await RecordAsync(evaluation, "Normal", EventReasons.Evicted, "Evict",
                    $"Evicted pod {action.PodName} from {from} to recreate it on {to}: {action.Reason}", action.PodName, cancellationToken);
                if (action.To == CapacityType.Spot && evaluation.Fallback is { ReclaimDue: true })
                {
                    await RecordAsync(evaluation, "Normal", EventReasons.ReclaimingSpot, "Reclaim",
                        $"Spot capacity is back: fallback pods return to spot one at a time, this time {action.PodName}", action.PodName, cancellationToken);
                }

                return new ReconcileResult(ReconcileResult.Requeue, _options.Cooldown > TimeSpan.Zero ? _options.Cooldown : TimeSpan.FromMilliseconds(200), evaluation);
            case EvictionOutcome.BlockedByPdb:
                memory.BlockedByPdbAt = now;
                memory.ConsecutiveBlocks++;
                _metrics?.Evictions.WithLabels(EvictionResults.BlockedPdb).Inc();
                var retry = TimeSpan.FromTicks(Math.Min(MaxPdbRetry.Ticks, MinPdbRetry.Ticks * (1L << Math.Min(memory.ConsecutiveBlocks - 1, 6))));
                _logger.LogInformation("Eviction of {Pod} of {Workload} blocked by a PodDisruptionBudget; retrying in {Delay}: {Message}", action.PodName, workload, retry, result.Message);
                await RecordAsync(evaluation, "Warning", EventReasons.EvictionBlocked, "Evict",
                    $"Eviction of pod {action.PodName} refused, retrying with backoff: {result.Message}", action.PodName, cancellationToken);
                return new ReconcileResult(ReconcileResult.Requeue, retry, evaluation);
            case EvictionOutcome.NotFound:
                return new ReconcileResult(ReconcileResult.Requeue, TimeSpan.FromMilliseconds(500), evaluation);
            default:
                _metrics?.Evictions.WithLabels(EvictionResults.Error).Inc();
                _logger.LogWarning("Eviction of {Pod} of {Workload} failed: {Message}", action.PodName, workload, result.Message);
                await RecordAsync(evaluation, "Warning", EventReasons.EvictionFailed, "Evict",
                    $"Evicting pod {action.PodName} failed: {result.Message}", action.PodName, cancellationToken);
                return new ReconcileResult(ReconcileResult.Error, null, evaluation);
        }
    }

    private async Task<ReconcileResult> ReportWouldEvictAsync(WorkloadEvaluation evaluation, WorkloadMemory memory, EvictionAction action, CancellationToken cancellationToken)
    {
        if (memory.ReportedWouldEvict.Add(action.PodName))
        {
            var from = CapacityTypes.ToLabelValue(action.From);
            var to = CapacityTypes.ToLabelValue(action.To);
            _metrics?.Evictions.WithLabels(EvictionResults.DryRun).Inc();
            _logger.LogInformation("Read-only: would evict {Pod} of {Workload} from {From} to move it to {To}: {Reason}", action.PodName, evaluation.Workload, from, to, action.Reason);
            await RecordAsync(evaluation, "Normal", EventReasons.WouldEvict, "Evict",
                $"Read-only mode: would evict pod {action.PodName} from {from} to recreate it on {to}: {action.Reason}", action.PodName, cancellationToken);
        }

        return new ReconcileResult(ReconcileResult.Success, DelayUntil(evaluation.NextCheckAt, _time.GetUtcNow()), evaluation);
    }

    private async Task ReportInvalidPolicyAsync(WorkloadEvaluation evaluation, WorkloadMemory memory, bool leader, CancellationToken cancellationToken)
    {
        var errors = evaluation.Policy!.Errors;
        var signature = string.Join("|", errors.Select(e => $"{e.Key}={e.Value}"));
        if (memory.ReportedPolicyErrors == signature)
        {
            return;
        }

        memory.ReportedPolicyErrors = signature;
        foreach (var error in errors)
        {
            _metrics?.PolicyErrors.WithLabels(evaluation.Workload.Namespace, evaluation.Workload.Name, error.Key).Inc();
            _logger.LogWarning("Invalid policy on {Workload}: {Key}={Value}: {Message}; running all replicas on on-demand", evaluation.Workload, error.Key, error.Value, error.Message);
        }

        if (leader)
        {
            var message = string.Join("; ", errors.Select(e => e.Message));
            var consequence = evaluation.Policy.Policy.Enabled
                ? "Spotalis keeps every replica on on-demand and evicts nothing until this is fixed"
                : "Spotalis does not place or evict this workload's pods until this is fixed";
            await RecordAsync(evaluation, "Warning", EventReasons.InvalidPolicy, "Validate", $"{message}. {consequence}", null, cancellationToken);
        }
    }

    private Task RecordAsync(WorkloadEvaluation evaluation, string type, string reason, string action, string message, string? pod, CancellationToken cancellationToken) =>
        _actions.RecordEventAsync(new WorkloadEvent(evaluation.Workload, evaluation.Snapshot?.Uid ?? "", type, reason, action, message, pod), cancellationToken);

    private void SetState(WorkloadMemory memory, WorkloadState state)
    {
        memory.LastState = state;
        RefreshStateGauge();
    }

    private void RefreshStateGauge()
    {
        if (_metrics is null)
        {
            return;
        }

        var counts = _memory.Values.Where(m => m.LastState is not null).GroupBy(m => m.LastState!.Value).ToDictionary(g => g.Key, g => g.Count());
        foreach (var value in Enum.GetValues<WorkloadState>())
        {
            _metrics.Workloads.WithLabels(value.ToString()).Set(counts.GetValueOrDefault(value));
        }
    }

    private void UpdateWorkloadMetrics(WorkloadEvaluation evaluation)
    {
        if (_metrics is null)
        {
            return;
        }

        var (ns, name, kind) = (evaluation.Workload.Namespace, evaluation.Workload.Name, evaluation.Workload.Kind);
        _metrics.DesiredReplicas.WithLabels(ns, name, kind, "spot").Set(evaluation.Desired.Spot);
        _metrics.DesiredReplicas.WithLabels(ns, name, kind, "on-demand").Set(evaluation.Desired.OnDemand);
        _metrics.ActualReplicas.WithLabels(ns, name, kind, "spot").Set(evaluation.Actual.Spot);
        _metrics.ActualReplicas.WithLabels(ns, name, kind, "on-demand").Set(evaluation.Actual.OnDemand);
        _metrics.PendingReplicas.WithLabels(ns, name, kind).Set(evaluation.Actual.Pending);
        _metrics.FallbackReplicas.WithLabels(ns, name, kind).Set(evaluation.FallbackReplicas);
    }

    /// <summary>
    /// When to try again after the global limiter refused a token. The limiter's own answer is when the next token
    /// is due, but every waiting workload would get that same answer and only one can use it: thousands of workloads
    /// then spin through reconciles (99.9 % of them refused) while only the configured rate can proceed. Spreading
    /// the retries over about half the time the waiting workloads need at that rate keeps the tokens used and the
    /// refused reconciles down to roughly one per token.
    /// </summary>
    private TimeSpan RetryAfterRateLimit(WorkloadRef workload, TimeSpan nextToken)
    {
        _waitingForEvictionToken.TryAdd(workload, 0);
        var spread = nextToken * _waitingForEvictionToken.Count * (0.25 + (Random.Shared.NextDouble() * 0.5));
        return spread > nextToken ? spread : nextToken;
    }

    private void Forget(WorkloadRef workload)
    {
        _waitingForEvictionToken.TryRemove(workload, out _);
        if (!_memory.TryRemove(workload, out _) || _metrics is null)
        {
            return;
        }

        var (ns, name, kind) = (workload.Namespace, workload.Name, workload.Kind);
        foreach (var capacity in new[] { "spot", "on-demand" })
        {
            _metrics.DesiredReplicas.RemoveLabelled(ns, name, kind, capacity);
            _metrics.ActualReplicas.RemoveLabelled(ns, name, kind, capacity);
        }

        _metrics.PendingReplicas.RemoveLabelled(ns, name, kind);
        _metrics.FallbackReplicas.RemoveLabelled(ns, name, kind);
        RefreshStateGauge();
    }

    private static TimeSpan? DelayUntil(DateTimeOffset? at, DateTimeOffset now) =>
        at is { } when ? (when > now ? when - now : TimeSpan.Zero) + TimeSpan.FromMilliseconds(50) : null;
}
