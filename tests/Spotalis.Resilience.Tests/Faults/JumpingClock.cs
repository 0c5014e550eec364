namespace Spotalis.Resilience.Tests.Faults;

/// <summary>
/// The operator's wall clock, which a test can jump forward or back (NTP step, VM resume, a bad RTC). Timers and
/// monotonic timestamps keep real time, as they do on a real machine when the wall clock steps.
/// </summary>
internal sealed class JumpingClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public int Jumps { get; private set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Jump(TimeSpan by)
    {
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        Jumps++;
    }
}
