namespace Spotalis.Simulator.Faults;

/// <summary>How many faults of each class were injected so far.</summary>
public sealed record FaultCounts(
    long Errors,
    long Delayed,
    long WatchesDropped,
    long WatchesExpired,
    long Conflicts,
    long EvictionsHeld,
    long StaleReads = 0,
    long WebhookCallsFailed = 0)
{
    public long Total => Errors + Delayed + WatchesDropped + WatchesExpired + Conflicts + EvictionsHeld + StaleReads + WebhookCallsFailed;

    /// <summary>The faults injected since <paramref name="before"/>.</summary>
    public FaultCounts Since(FaultCounts before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return new(
            Errors - before.Errors, Delayed - before.Delayed, WatchesDropped - before.WatchesDropped, WatchesExpired - before.WatchesExpired,
            Conflicts - before.Conflicts, EvictionsHeld - before.EvictionsHeld, StaleReads - before.StaleReads, WebhookCallsFailed - before.WebhookCallsFailed);
    }

    public override string ToString() =>
        $"errors={Errors} delayed={Delayed} watchesDropped={WatchesDropped} watchesExpired={WatchesExpired} conflicts={Conflicts} " +
        $"evictionsHeld={EvictionsHeld} staleReads={StaleReads} webhookCallsFailed={WebhookCallsFailed}";
}
