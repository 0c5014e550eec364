namespace Spotalis.Core.Timing;

/// <summary>
/// Spreads the periodic resync of many workloads over the resync interval: the interval is cut into slots of about a
/// second (at most <see cref="MaxSlots"/>) and every workload keeps one slot, chosen by a stable hash of its identity.
/// Each workload is then looked at once per interval, and 5,000 workloads arrive a slot's share at a time instead of
/// all at once.
/// </summary>
public static class ResyncSpread
{
    /// <summary>Upper bound of the slots per interval (a longer interval gets longer slots).</summary>
    public const int MaxSlots = 60;

    private static readonly TimeSpan TargetSlot = TimeSpan.FromSeconds(1);

    /// <summary>How many slots <paramref name="interval"/> is cut into: one per second, at least 1, at most <see cref="MaxSlots"/>.</summary>
    public static int Slots(TimeSpan interval) => (int)Math.Clamp(interval.Ticks / TargetSlot.Ticks, 1, MaxSlots);

    /// <summary>The time between two slots of <paramref name="interval"/>.</summary>
    public static TimeSpan SlotLength(TimeSpan interval) => interval / Slots(interval);

    /// <summary>The slot (0 to <paramref name="slots"/> - 1) of the workload named by <paramref name="parts"/>: the same in every process and run.</summary>
    public static int SlotOf(int slots, params ReadOnlySpan<string> parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        // FNV-1a over the UTF-16 code units: string.GetHashCode is randomised per process.
        var hash = 2166136261u;
        foreach (var part in parts)
        {
            foreach (var c in part)
            {
                hash = (hash ^ c) * 16777619u;
            }

            hash = (hash ^ '/') * 16777619u;
        }

        return (int)(hash % (uint)slots);
    }
}
