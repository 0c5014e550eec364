using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Spotalis.Core.Capacity;
using Spotalis.Core.Fallback;
using Spotalis.Core.Planning;
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
    private readonly IClusterView _view;
    private readonly IPodActions _actions;
    private readonly ReconcilerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReconcileMetrics _metrics;
    private readonly ILeadership _leadership;
    private readonly EvictionStep _eviction;
    private readonly ConcurrentDictionary<WorkloadRef, WorkloadMemory> _memory = new();
    private MoveJudge? _moveJudge;

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
        _metrics = new ReconcileMetrics(metrics, options.PerWorkloadSeriesLimit, logger);
        _leadership = leadership ?? FixedLeadership.Leader;
        _eviction = new EvictionStep(view, actions, options, time, logger, _metrics, evictionLimiter);
    }

    /// <summary>Why the webhook is not in the admission path (null when it is, or unknown): evictions stop meanwhile.</summary>
    public Func<string?>? AdmissionPathProblem { get; init; }

    /// <summary>When the admission-path check last found the webhook placing pods (lifts pauses caused by unplaced pods).</summary>
    public Func<DateTimeOffset?>? AdmissionPathConfirmedAt { get; init; }

    private MoveJudge Moves => _moveJudge ??= new MoveJudge(_view, _options, _logger, _metrics, AdmissionPathConfirmedAt);

    /// <summary>Null when spot can be offered now, else why not (invariant 9; changes every workload's desired split).</summary>
    public string? SpotNotOffered() => _options.SpotNotOffered?.Invoke();

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
            Moves.JudgeMoves(workload, remembered, _time.GetUtcNow());
            Moves.LiftPauseIfWebhookIsBack(workload, remembered);
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
            _eviction.StopWaiting(workload);
        }

        var result = plan switch
        {
            { Outcome: PlanOutcome.ReadOnly, Action: { } wouldEvict } => await ReportWouldEvictAsync(evaluation, memory, wouldEvict, cancellationToken),
            { Outcome: PlanOutcome.Act, Action: { } action } when !_options.ReadOnly => await _eviction.EvictAsync(evaluation, memory, action, cancellationToken),
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
        _metrics.StateChanged(memory.LastState, state);
        memory.LastState = state;
    }

    private void Forget(WorkloadRef workload)
    {
        _eviction.StopWaiting(workload);
        if (!_memory.TryRemove(workload, out var forgotten))
        {
            return;
        }

        _metrics.Forgotten(workload);
        _metrics.StateChanged(forgotten.LastState, null);
    }
}
