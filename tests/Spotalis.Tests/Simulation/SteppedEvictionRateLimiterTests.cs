using System.Threading.RateLimiting;
using Spotalis.Simulation;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Tests.Simulation;

public sealed class SteppedEvictionRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_run_never_evicts_faster_than_the_configured_rate_plus_the_burst()
    {
        var clock = new SimulationClock(Start);
        using var limiter = new SteppedEvictionRateLimiter(evictionsPerSecond: 0.2, burst: 3, step: TimeSpan.FromSeconds(15), clock);
        var granted = 0;

        for (var step = 0; step < 240; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(15));
            // 50 workloads each asking once per step: far more than the limit allows.
            for (var workload = 0; workload < 50; workload++)
            {
                using var lease = limiter.AttemptAcquire();
                granted += lease.IsAcquired ? 1 : 0;
            }
        }

        // One hour at 0.2/s is 720 evictions; the bucket starts with the burst.
        Assert.InRange(granted, 715, 720 + 3);
    }

    [Fact]
    public void A_step_may_use_the_evictions_its_duration_allows_when_that_exceeds_the_burst()
    {
        var clock = new SimulationClock(Start);
        using var limiter = new SteppedEvictionRateLimiter(evictionsPerSecond: 1, burst: 5, step: TimeSpan.FromSeconds(15), clock);
        clock.Advance(TimeSpan.FromMinutes(10));

        var granted = Enumerable.Range(0, 50).Count(_ => { using var lease = limiter.AttemptAcquire(); return lease.IsAcquired; });

        Assert.Equal(15, granted);
    }

    [Fact]
    public void A_refused_eviction_says_when_to_retry_on_the_simulation_clock()
    {
        var clock = new SimulationClock(Start);
        using var limiter = new SteppedEvictionRateLimiter(evictionsPerSecond: 0.5, burst: 1, step: TimeSpan.FromSeconds(1), clock);
        using (var first = limiter.AttemptAcquire())
        {
            Assert.True(first.IsAcquired);
        }

        using var refused = limiter.AttemptAcquire();

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retry));
        Assert.Equal(TimeSpan.FromSeconds(2), retry);
        clock.Advance(TimeSpan.FromSeconds(2));
        using var later = limiter.AttemptAcquire();
        Assert.True(later.IsAcquired);
    }
}
