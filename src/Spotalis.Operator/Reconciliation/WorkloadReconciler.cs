using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Spotalis.Core.Capacity;
using Spotalis.Core.Fallback;
using Spotalis.Core.Nodes;
using Spotalis.Core.Planning;
using Spotalis.Core.Steering;
using Spotalis.Core.Timing;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Leadership;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// Decides and takes the next safe step for one workload. <see cref="Evaluate"/> is pure (cache + clock in, a
/// <see cref="WorkloadEvaluation"/> out); <see cref="ReconcileAsync"/> evaluates, then acts only through
/// <see cref="IPodActions"/>: at most one eviction per call, pod-deletion-cost annotations, Events, metrics.
/// </summary>
public sealed class WorkloadReconciler
{
    /// <summary>A move whose replacement never appeared (scale-down, a controller gone) is forgotten after this.</summary>
    private static readonly TimeSpan UnjudgedMoveExpiry = TimeSpan.FromMinutes(10);

    private readonly IClusterView _view;
    private readonly IPodActions _actions;
    private readonly ReconcilerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReconcileMetrics _metrics;
    private readonly ILeadership _leadership;
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
        ILeadership? leadership = null,
        RateLimiter? evictionLimiter = null)
    {
        _view = view;
        _actions = actions;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = new ReconcileMetrics(metrics);
        _leadership = leadership ?? FixedLeadership.Leader;
        _evictionLimiter = evictionLimiter;
    }

    /// <summary>Why the webhook is not in the admission path (null when it is, or unknown): evictions stop meanwhile.</summary>
    public Func<string?>? AdmissionPathProblem { get; init; }

    /// <summary>When the admission-path check last found the webhook placing pods (lifts pauses caused by unplaced pods).</summary>
    public Func<DateTimeOffset?>? AdmissionPathConfirmedAt { get; init; }

    /// <summary>Computes policy, desired and actual split, state and the next planned action; no I/O.</summary>
    public WorkloadEvaluation Evaluate(WorkloadRef workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return WorkloadEvaluator.Evaluate(_view, _options, workload, _time.GetUtcNow(), _memory.GetValueOrDefault(workload), AdmissionPathProblem?.Invoke());
    }

    /// <summary>Evaluates the workload, then takes at most one eviction and keeps deletion costs, Events and metrics current.</summary>
    public async Task<ReconcileResult> ReconcileAsync(WorkloadRef workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var started = Stopwatch.GetTimestamp();
        if (_memory.TryGetValue(workload, out var remembered))
        {
            JudgeMoves(workload, remembered, _time.GetUtcNow());
            LiftPauseIfWebhookIsBack(workload, remembered);
        }

        var evaluation = Evaluate(workload);
        ReconcileResult result;
        try
        {
            result = await ActAsync(evaluation, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ReconcileFailed(_logger, e, workload);
            result = new ReconcileResult(ReconcileOutcome.Error, null, evaluation);
        }

        _metrics.Reconciled(result.Result, Stopwatch.GetElapsedTime(started));
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
            return new ReconcileResult(ReconcileOutcome.Success, null, evaluation);
        }

        var memory = _memory.GetOrAdd(workload, _ => new WorkloadMemory());
        _metrics.Workload(evaluation);
        var leader = _leadership.IsLeader;
        var now = _time.GetUtcNow();
        var snapshot = evaluation.Snapshot!;

        if (evaluation.State == WorkloadState.InvalidPolicy)
        {
            await ReportInvalidPolicyAsync(evaluation, memory, leader, cancellationToken);
            SetState(memory, evaluation.State);
            return new ReconcileResult(ReconcileOutcome.Success, null, evaluation);
        }

        memory.ReportedPolicyErrors = null;
        if (evaluation.Policy is { Notes.Count: > 0 } parsed && memory.ReportedPolicyNotes != string.Join("|", parsed.Notes.Select(n => n.Message)))
        {
            memory.ReportedPolicyNotes = string.Join("|", parsed.Notes.Select(n => n.Message));
            var notes = memory.ReportedPolicyNotes.Replace("|", "; ", StringComparison.Ordinal);
            Log.GoPolicyForm(_logger, workload, notes);
        }

        if (!leader)
        {
            SetState(memory, evaluation.State);
            return new ReconcileResult(ReconcileOutcome.Success, RequeuePolicy.Until(evaluation.NextCheckAt, now), evaluation);
        }

        if (evaluation.Fallback is { } fallbackStatus)
        {
            await KeepFallbackRecordAsync(evaluation, memory, fallbackStatus, now, cancellationToken);
        }

        memory.SpotUnavailable = evaluation.Fallback?.SpotUnavailable ?? false;
        await ReportPauseAsync(evaluation, memory, cancellationToken);
        await ReportPathProblemAsync(evaluation, memory, cancellationToken);

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
            _ => new ReconcileResult(ReconcileOutcome.Success, RequeuePolicy.Until(evaluation.NextCheckAt, now), evaluation),
        };

        if (evaluation.State == WorkloadState.Balanced && memory.LastState is { } previous && previous != WorkloadState.Balanced)
        {
            await RecordAsync(WorkloadEvents.Balanced(evaluation), cancellationToken);
        }

        if (plan.Outcome != PlanOutcome.ReadOnly)
        {
            memory.ReportedWouldEvict.Clear();
        }

        SetState(memory, memory.BlockedByPdbAt is not null && evaluation.State == WorkloadState.Rebalancing ? WorkloadState.BlockedByPdb : evaluation.State);
        Log.Reconciled(_logger, workload, snapshot.Uid, evaluation.State, evaluation.Reason);
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
                Log.EvictionRateLimited(_logger, workload, retry);
                return new ReconcileResult(ReconcileOutcome.Requeue, retry, evaluation);
            }

            _waitingForEvictionToken.TryRemove(workload, out _);
        }

        var from = CapacityTypes.ToLabelValue(action.From);
        var to = CapacityTypes.ToLabelValue(action.To);
        // Taken before the eviction: the replacement may be in the cache before the eviction call returns.
        var before = _view.GetPods(workload).Select(p => p.Uid).ToHashSet(StringComparer.Ordinal);
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

                memory.PendingMoves.Add(new MoveRecord(action.PodName, action.From, action.To, now, before));
                memory.BlockedByPdbAt = null;
                memory.ConsecutiveBlocks = 0;
                _metrics.Eviction(EvictionResults.Evicted);
                Log.Evicted(_logger, action.PodName, workload, from, to, action.Reason);
                await RecordAsync(WorkloadEvents.Evicted(evaluation, action), cancellationToken);
                return new ReconcileResult(ReconcileOutcome.Requeue, RequeuePolicy.AfterEviction(_options.Cooldown), evaluation);
            case EvictionOutcome.BlockedByPdb:
                memory.BlockedByPdbAt = now;
                memory.ConsecutiveBlocks++;
                _metrics.Eviction(EvictionResults.BlockedPdb);
                var retry = RequeuePolicy.AfterPdbBlock(memory.ConsecutiveBlocks);
                Log.EvictionBlocked(_logger, action.PodName, workload, retry, result.Message);
                await RecordAsync(WorkloadEvents.EvictionBlocked(evaluation, action.PodName, result.Message), cancellationToken);
                return new ReconcileResult(ReconcileOutcome.Requeue, retry, evaluation);
            case EvictionOutcome.NotFound:
                return new ReconcileResult(ReconcileOutcome.Requeue, RequeuePolicy.AfterPodGone, evaluation);
            default:
                _metrics.Eviction(EvictionResults.Error);
                Log.EvictionFailed(_logger, action.PodName, workload, result.Message);
                await RecordAsync(WorkloadEvents.EvictionFailed(evaluation, action.PodName, result.Message), cancellationToken);
                return new ReconcileResult(ReconcileOutcome.Error, null, evaluation);
        }
    }

    /// <summary>
    /// Keeps the fallback decision in the cluster (invariant 6 and 8): while spot is unavailable every live pod carries
    /// the <c>spotalis.io/fallback-since</c> mark, so evicting the pending spot pod, a restart or a leader change cannot
    /// forget it; when reclaim is due the marks are removed and the planner moves replicas back to spot one at a time.
    /// </summary>
    private async Task KeepFallbackRecordAsync(WorkloadEvaluation evaluation, WorkloadMemory memory, FallbackStatus fallback, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var workload = evaluation.Workload;
        if (fallback.ReclaimDue && fallback.Marked)
        {
            if (_options.ReadOnly)
            {
                return;
            }

            var marked = _view.GetPods(workload).Where(p => p.FallbackSince is not null && !p.Terminating).ToList();
            foreach (var pod in marked)
            {
                await _actions.SetPodAnnotationAsync(workload.Namespace, pod.Name, SpotalisKeys.FallbackSince, null, cancellationToken);
            }

            memory.ReclaimStartedAt = now;
            Log.Reclaiming(_logger, workload, fallback.Reason);
            await RecordAsync(WorkloadEvents.ReclaimingSpot(evaluation, fallback.Reason), cancellationToken);
            return;
        }

        if (!fallback.SpotUnavailable || fallback.Since is not { } since)
        {
            if (evaluation.State == WorkloadState.Balanced)
            {
                memory.FailedProbes = 0;
                memory.ReclaimStartedAt = null;
            }

            return;
        }

        if (!fallback.Marked && !memory.SpotUnavailable)
        {
            // A new fallback decision. Right after a reclaim it means the reclaim failed: wait longer next time.
            if (memory.ReclaimStartedAt is not null)
            {
                memory.FailedProbes++;
                memory.ReclaimStartedAt = null;
            }

            Log.SpotUnavailable(_logger, workload, fallback.Reason);
            await RecordAsync(WorkloadEvents.FallbackToOnDemand(evaluation, fallback.Reason), cancellationToken);
        }

        if (_options.ReadOnly || fallback.Recorded)
        {
            return;
        }

        var mark = FallbackMark.Write(since);
        foreach (var pod in _view.GetPods(workload).Where(p => p.FallbackSince is null && p.IsLive))
        {
            await _actions.SetPodAnnotationAsync(workload.Namespace, pod.Name, SpotalisKeys.FallbackSince, mark, cancellationToken);
        }
    }

    /// <summary>Judges past moves by where their replacements landed, and pauses the workload after futile ones (invariant 8).</summary>
    private void JudgeMoves(WorkloadRef workload, WorkloadMemory memory, DateTimeOffset now)
    {
        if (memory.PendingMoves.Count == 0)
        {
            return;
        }

        var pods = _view.GetPods(workload)
            .Where(p => p.IsLive)
            .Select(ToReplacementFacts)
            .ToList();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var move in memory.PendingMoves.ToList())
        {
            var replacement = FutileMoves.ReplacementOf(move, pods, claimed);
            var verdict = FutileMoves.Judge(move, replacement);
            if (verdict == MoveVerdict.Unknown)
            {
                if (now - move.At > UnjudgedMoveExpiry)
                {
                    memory.PendingMoves.Remove(move);
                }

                continue;
            }

            claimed.Add(replacement!.Uid);
            memory.PendingMoves.Remove(move);
            _metrics.MoveJudged(verdict);
            if (verdict == MoveVerdict.Steered)
            {
                if (memory.NotSteeredReported)
                {
                    var landedOn = CapacityTypes.ToLabelValue(move.To);
                    Log.PlacementSteeredAgain(_logger, workload, replacement.Name, landedOn);
                }

                memory.ConsecutiveFutile = 0;
                memory.PausedUntil = null;
                memory.NotSteeredReported = false;
                continue;
            }

            memory.ConsecutiveFutile++;
            var pause = FutileMoves.PauseAfter(memory.ConsecutiveFutile, _options.FutileMoveLimit, _options.FutileBackoff, _options.FutileBackoffMax);
            var what = verdict == MoveVerdict.Unplaced
                ? $"pod {replacement.Name}, which replaced evicted pod {move.PodName}, was created without Spotalis' placement"
                : $"pod {replacement.Name}, which replaced evicted pod {move.PodName}, landed on {CapacityTypes.ToLabelValue(move.From)} again instead of {CapacityTypes.ToLabelValue(move.To)}";
            Log.FutileMove(_logger, workload, memory.ConsecutiveFutile, what);
            if (pause > TimeSpan.Zero)
            {
                memory.PausedUntil = now + pause;
                memory.PauseToReport = (what, pause);
#pragma warning disable RS0030 // Compared with AdmissionPathMonitor.ConfirmedAt, which is wall-clock time like the webhook it checks.
                memory.PauseStarted = (DateTimeOffset.UtcNow, verdict == MoveVerdict.Unplaced);
#pragma warning restore RS0030
            }
        }
    }

    /// <summary>
    /// A pause caused by replacements created without the webhook ends as soon as the admission-path check finds the
    /// webhook placing pods again: the cause is gone. One more futile move pauses again at once.
    /// </summary>
    private void LiftPauseIfWebhookIsBack(WorkloadRef workload, WorkloadMemory memory)
    {
        if (memory.PausedUntil is null || memory.PauseStarted is not { Unplaced: true } started ||
            AdmissionPathConfirmedAt?.Invoke() is not { } confirmed || confirmed <= started.At)
        {
            return;
        }

        Log.EvictionsResume(_logger, workload);
        memory.PausedUntil = null;
        memory.PauseStarted = null;
        memory.ConsecutiveFutile = Math.Max(0, _options.FutileMoveLimit - 1);
        memory.NotSteeredReported = false;
    }

    private ReplacementFacts ToReplacementFacts(PodSnapshot pod)
    {
        var placed = CapacityTypes.TryParse(pod.CapacityLabel, out var labelled);
        CapacityType? landed = placed ? labelled : null;
        if (pod.NodeName is { Length: > 0 } nodeName && _view.GetNode(nodeName) is { } node &&
            _options.Classifier.Classify(new NodeDescription(node.Name, node.Labels, node.Taints.Select(t => new NodeTaint(t.Key, t.Value, t.Effect)).ToArray(),
                node.Unschedulable)).CapacityType is { } onNode)
        {
            landed = onNode;
        }

        return new ReplacementFacts(pod.Name, pod.Uid, pod.CreatedAt, landed, placed);
    }

    private async Task ReportPauseAsync(WorkloadEvaluation evaluation, WorkloadMemory memory, CancellationToken cancellationToken)
    {
        if (memory.PauseToReport is not { } pause)
        {
            return;
        }

        memory.PauseToReport = null;
        memory.NotSteeredReported = true;
        var notSteered = WorkloadEvents.PlacementNotSteered(evaluation, pause.Pause, pause.What, memory.ConsecutiveFutile);
        Log.PlacementNotSteered(_logger, evaluation.Workload, notSteered.Message);
        await RecordAsync(notSteered, cancellationToken);
    }

    private async Task ReportPathProblemAsync(WorkloadEvaluation evaluation, WorkloadMemory memory, CancellationToken cancellationToken)
    {
        if (evaluation.Plan?.Outcome != PlanOutcome.NotSteered || AdmissionPathProblem?.Invoke() is not { } problem)
        {
            memory.ReportedPathProblem = null;
            return;
        }

        if (memory.ReportedPathProblem == problem)
        {
            return;
        }

        memory.ReportedPathProblem = problem;
        await RecordAsync(WorkloadEvents.PlacementNotSteeredOutOfPath(evaluation, problem), cancellationToken);
    }

    private async Task<ReconcileResult> ReportWouldEvictAsync(WorkloadEvaluation evaluation, WorkloadMemory memory, EvictionAction action, CancellationToken cancellationToken)
    {
        if (memory.ReportedWouldEvict.Add(action.PodName))
        {
            var from = CapacityTypes.ToLabelValue(action.From);
            var to = CapacityTypes.ToLabelValue(action.To);
            _metrics.Eviction(EvictionResults.DryRun);
            Log.WouldEvict(_logger, action.PodName, evaluation.Workload, from, to, action.Reason);
            await RecordAsync(WorkloadEvents.WouldEvict(evaluation, action), cancellationToken);
        }

        return new ReconcileResult(ReconcileOutcome.Success, RequeuePolicy.Until(evaluation.NextCheckAt, _time.GetUtcNow()), evaluation);
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
            _metrics.PolicyError(evaluation.Workload, error.Key);
            Log.InvalidPolicy(_logger, evaluation.Workload, error.Key, error.Value, error.Message);
        }

        if (leader)
        {
            await RecordAsync(WorkloadEvents.InvalidPolicy(evaluation, errors, evaluation.Policy.Policy.Enabled), cancellationToken);
        }
    }

    private Task RecordAsync(WorkloadEvent workloadEvent, CancellationToken cancellationToken) =>
        _actions.RecordEventAsync(workloadEvent, cancellationToken);

    private void SetState(WorkloadMemory memory, WorkloadState state)
    {
        memory.LastState = state;
        RefreshStateGauge();
    }

    private void RefreshStateGauge() =>
        _metrics.States(_memory.Values.Where(m => m.LastState is not null).Select(m => m.LastState!.Value));

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
        return RequeuePolicy.AfterRateLimit(nextToken, _waitingForEvictionToken.Count, Random.Shared.NextDouble());
    }

    private void Forget(WorkloadRef workload)
    {
        _waitingForEvictionToken.TryRemove(workload, out _);
        if (!_memory.TryRemove(workload, out _))
        {
            return;
        }

        _metrics.Forgotten(workload);
        RefreshStateGauge();
    }
}
