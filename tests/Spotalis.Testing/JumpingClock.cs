namespace Spotalis.Testing;

/// <summary>
/// The operator's wall clock, which a test can jump forward or back (NTP step, VM resume, a bad RTC). Timers and
/// monotonic timestamps keep real time, as they do on a real machine when the wall clock steps.
/// </summary>
public sealed class JumpingClock : TimeProvider
{
    private long _offsetTicks;
    private int _jumps;

    /// <summary>How far this clock is from real time now.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>How many jumps were made so far.</summary>
    public int Jumps => Volatile.Read(ref _jumps);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Steps the clock by <paramref name="by"/> (negative = back in time).</summary>
    public void Jump(TimeSpan by)
    {
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        Interlocked.Increment(ref _jumps);
    }
}
