using System.Threading.RateLimiting;

namespace Spotalis.Simulation;

/// <summary>
/// The global eviction rate limit (<c>controllers.evictionsPerSecond</c>, <c>controllers.evictionBurst</c>) on the
/// simulation's clock. The BCL's token bucket replenishes on wall-clock timers, which a stepped run outruns by
/// orders of magnitude. A stepped run reconciles each workload once per step, while the real operator spreads the
/// same step's evictions over its duration, so the bucket holds up to <c>max(burst, rate × step)</c>: the long-run
/// rate is exactly the configured one and a step can use the evictions the step's duration allows.
/// </summary>
public sealed class SteppedEvictionRateLimiter : RateLimiter
{
    private readonly double _perSecond;
    private readonly double _capacity;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private double _tokens;
    private DateTimeOffset _last;

    public SteppedEvictionRateLimiter(double evictionsPerSecond, int burst, TimeSpan step, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(evictionsPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _perSecond = evictionsPerSecond;
        _capacity = Math.Max(burst, evictionsPerSecond * step.TotalSeconds);
        _tokens = burst;
        _last = clock.GetUtcNow();
    }

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Replenish();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Replenish();
            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                return Lease.Acquired;
            }

            return new Lease(TimeSpan.FromSeconds((permitCount - _tokens) / _perSecond));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Replenish()
    {
        var now = _clock.GetUtcNow();
        if (now > _last)
        {
            _tokens = Math.Min(_capacity, _tokens + ((now - _last).TotalSeconds * _perSecond));
        }

        _last = now;
    }

    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(null);

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
