namespace Spotalis.Core.Timing;

/// <summary>When the controller looks at a workload again after a reconcile, by what the reconcile found or did.</summary>
public static class RequeuePolicy
{
    /// <summary>First retry after a PodDisruptionBudget refused an eviction; doubles per refusal in a row.</summary>
    public static readonly TimeSpan MinPdbRetry = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the retry after refusals by a PodDisruptionBudget.</summary>
    public static readonly TimeSpan MaxPdbRetry = TimeSpan.FromSeconds(60);

    /// <summary>Without a cooldown, the next look after an eviction (the replacement is being created).</summary>
    public static readonly TimeSpan AfterEvictionWithoutCooldown = TimeSpan.FromMilliseconds(200);

    /// <summary>The pod chosen for eviction was already gone: look again once the cache has caught up.</summary>
    public static readonly TimeSpan AfterPodGone = TimeSpan.FromMilliseconds(500);

    /// <summary>Margin after a due time, so that the next look finds the time passed.</summary>
    public static readonly TimeSpan DueMargin = TimeSpan.FromMilliseconds(50);

    /// <summary>After an eviction: once the cooldown has passed (the next move waits for it anyway).</summary>
    public static TimeSpan AfterEviction(TimeSpan cooldown) => cooldown > TimeSpan.Zero ? cooldown : AfterEvictionWithoutCooldown;

    /// <summary>After the <paramref name="consecutiveBlocks"/>-th refusal in a row by a PodDisruptionBudget: exponential backoff.</summary>
    public static TimeSpan AfterPdbBlock(int consecutiveBlocks) =>
        TimeSpan.FromTicks(Math.Min(MaxPdbRetry.Ticks, MinPdbRetry.Ticks * (1L << Math.Clamp(consecutiveBlocks - 1, 0, 6))));

    /// <summary>Until a known due time (a cooldown end, a window opening, a fallback deadline); null = no due time.</summary>
    public static TimeSpan? Until(DateTimeOffset? dueAt, DateTimeOffset now) =>
        dueAt is { } due ? (due > now ? due - now : TimeSpan.Zero) + DueMargin : null;

    /// <summary>
    /// After the global eviction budget was spent: the <paramref name="waiting"/> workloads waiting for a token spread
    /// over the time it takes to refill (<paramref name="jitter"/> in [0, 1) decorrelates them), never sooner than the next token.
    /// </summary>
    public static TimeSpan AfterRateLimit(TimeSpan nextToken, int waiting, double jitter)
    {
        var spread = nextToken * waiting * (0.25 + (jitter * 0.5));
        return spread > nextToken ? spread : nextToken;
    }
}
