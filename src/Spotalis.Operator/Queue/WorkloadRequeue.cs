using Spotalis.Operator.Cache;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Queue;

/// <summary>
/// What a reconcile's result does to the work queue: an error retries with per-workload backoff; otherwise the
/// workload comes back only after the delay the result asks for (a cooldown end, a window opening, a fallback or reclaim
/// deadline), or, without one, on its next change or its resync slot.
/// </summary>
public static class WorkloadRequeue
{
    /// <returns>The backoff delay after an error; null otherwise.</returns>
    public static TimeSpan? Apply(WorkQueue<WorkloadRef> queue, WorkloadRef workload, ReconcileResult result)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Result == ReconcileOutcome.Error)
        {
            return queue.AddRateLimited(workload);
        }

        queue.Forget(workload);
        if (result.RequeueAfter is { } after)
        {
            queue.AddAfter(workload, after);
        }

        return null;
    }
}
