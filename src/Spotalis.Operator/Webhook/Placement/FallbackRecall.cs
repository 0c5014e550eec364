using System.Collections.Concurrent;
using Spotalis.Core.Fallback;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Webhook.Placement;

/// <summary>
/// Bridges the one moment a workload's fallback marks can vanish from the cache: a workload whose only pod (the
/// pending spot pod that carried the mark) was evicted has no pod left when its replacement is admitted. The webhook
/// remembers the last mark it saw per workload and honours it while the workload has no live pod; a live pod without
/// a mark (after a reclaim) forgets it. Everything else is decided from the marks in the cluster.
/// </summary>
internal sealed class FallbackRecall
{
    private readonly ConcurrentDictionary<WorkloadRef, DateTimeOffset> _since = new();

    /// <param name="fromPods">The fallback status computed from the pods; null when they show no sign of fallback.</param>
    /// <param name="livePods">The workload's pods that are neither terminating nor finished.</param>
    public FallbackStatus? Apply(WorkloadRef workload, FallbackStatus? fromPods, int livePods)
    {
        if (fromPods is { Marked: true, Since: { } since })
        {
            _since[workload] = since;
            return fromPods;
        }

        if (fromPods is { SpotUnavailable: true })
        {
            return fromPods;
        }

        if (livePods > 0)
        {
            _since.TryRemove(workload, out _);
            return fromPods;
        }

        return _since.TryGetValue(workload, out var remembered)
            ? new FallbackStatus(true, false, $"in fallback since {FallbackMark.Write(remembered)} (its last pod was just replaced)")
            {
                Since = remembered,
                Marked = true,
            }
            : fromPods;
    }
}
