using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulator.Tests.Cluster;

public sealed class SimulationClockTests
{
    [Fact]
    public void Time_moves_only_when_advanced()
    {
        var clock = new SimulationClock(new DateTimeOffset(2030, 5, 1, 8, 0, 0, TimeSpan.Zero));
        var start = clock.GetUtcNow();
        Assert.Equal(start, clock.GetUtcNow());

        clock.Advance(TimeSpan.FromMinutes(90));

        Assert.Equal(start.AddMinutes(90), clock.GetUtcNow());
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task Delays_on_the_clock_complete_when_it_passes_their_due_time()
    {
        var clock = new SimulationClock();
        var delay = Task.Delay(TimeSpan.FromHours(1), clock);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromMinutes(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void Periodic_timers_fire_once_per_period_in_order()
    {
        var clock = new SimulationClock();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        var start = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromSeconds(35));

        Assert.Equal([start.AddSeconds(10), start.AddSeconds(20), start.AddSeconds(30)], fired);
    }
}
