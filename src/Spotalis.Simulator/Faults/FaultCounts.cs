namespace Spotalis.Simulator.Faults;

/// <summary>How many faults of each class were injected so far.</summary>
public sealed record FaultCounts(long Errors, long Delayed, long WatchesDropped, long WatchesExpired, long Conflicts, long EvictionsHeld)
{
    public long Total => Errors + Delayed + WatchesDropped + WatchesExpired + Conflicts + EvictionsHeld;

    public override string ToString() =>
        $"errors={Errors} delayed={Delayed} watchesDropped={WatchesDropped} watchesExpired={WatchesExpired} conflicts={Conflicts} evictionsHeld={EvictionsHeld}";
}
