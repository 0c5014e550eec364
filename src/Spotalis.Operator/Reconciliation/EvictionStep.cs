using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Steering;
using Spotalis.Core.Timing;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// Takes the one eviction a reconcile planned, through the global rate limiter and the Eviction API, and turns the
/// answer into the workload's memory, metrics, Events and when to look again (<see cref="RequeuePolicy"/>).
/// </summary>
internal sealed class EvictionStep(IClusterView view, IPodActions actions, ReconcilerOptions options, TimeProvider time, ILogger logger, ReconcileMetrics metrics,
    RateLimiter? evictionLimiter)
{
    private readonly ConcurrentDictionary<WorkloadRef, byte> _waitingForEvictionToken = new();

    /// <summary>The workload no longer waits for an eviction token (its plan does not act now, or it is gone).</summary>
    public void StopWaiting(WorkloadRef workload) => _waitingForEvictionToken.TryRemove(workload, out _);

    public async Task<ReconcileResult> EvictAsync(WorkloadEvaluation evaluation, WorkloadMemory memory, EvictionAction action, CancellationToken cancellationToken)
    {
        var workload = evaluation.Workload;
        if (evictionLimiter is not null)
        {
            using var lease = evictionLimiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                var retry = RetryAfterRateLimit(workload, lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1));
                Log.EvictionRateLimited(logger, workload, retry);
                return new ReconcileResult(ReconcileOutcome.Requeue, retry, evaluation);
            }

            _waitingForEvictionToken.TryRemove(workload, out _);
        }

        var from = CapacityTypes.ToLabelValue(action.From);
        var to = CapacityTypes.ToLabelValue(action.To);
        // Taken before the eviction: the replacement may be in the cache before the eviction call returns.
        var before = view.GetPods(workload).Select(p => p.Uid).ToHashSet(StringComparer.Ordinal);
        var result = await actions.EvictAsync(workload.Namespace, action.PodName, cancellationToken);
        var now = time.GetUtcNow();
        switch (result.Outcome)
        {
            case EvictionOutcome.Evicted:
                memory.LastEvictionAt = now;
                if (view.GetPods(workload).FirstOrDefault(p => p.Name == action.PodName) is { } evicted)
                {
                    memory.Evicted(evicted.Name, evicted.Uid);
                }

                memory.PendingMoves.Add(new MoveRecord(action.PodName, action.From, action.To, now, before));
                memory.BlockedByPdbAt = null;
                memory.ConsecutiveBlocks = 0;
                metrics.Eviction(EvictionResults.Evicted);
                Log.Evicted(logger, action.PodName, workload, from, to, action.Reason);
                await actions.RecordEventAsync(WorkloadEvents.Evicted(evaluation, action), cancellationToken);
                return new ReconcileResult(ReconcileOutcome.Requeue, RequeuePolicy.AfterEviction(options.Cooldown), evaluation);
            case EvictionOutcome.BlockedByPdb:
                memory.BlockedByPdbAt = now;
                memory.ConsecutiveBlocks++;
                metrics.Eviction(EvictionResults.BlockedPdb);
                var retry = RequeuePolicy.AfterPdbBlock(memory.ConsecutiveBlocks);
                Log.EvictionBlocked(logger, action.PodName, workload, retry, result.Message);
                await actions.RecordEventAsync(WorkloadEvents.EvictionBlocked(evaluation, action.PodName, result.Message), cancellationToken);
                return new ReconcileResult(ReconcileOutcome.Requeue, retry, evaluation);
            case EvictionOutcome.NotFound:
                return new ReconcileResult(ReconcileOutcome.Requeue, RequeuePolicy.AfterPodGone, evaluation);
            default:
                metrics.Eviction(EvictionResults.Error);
                Log.EvictionFailed(logger, action.PodName, workload, result.Message);
                await actions.RecordEventAsync(WorkloadEvents.EvictionFailed(evaluation, action.PodName, result.Message), cancellationToken);
                return new ReconcileResult(ReconcileOutcome.Error, null, evaluation);
        }
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
        return RequeuePolicy.AfterRateLimit(nextToken, _waitingForEvictionToken.Count, Random.Shared.NextDouble());
    }
}
