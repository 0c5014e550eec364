namespace Spotalis.Operator.Cache;

/// <summary>
/// Capped exponential backoff with jitter for an informer's list/watch cycle. Every cycle that ends without a
/// healthy watch (an error, 410 Gone, or a watch that ended at once without delivering anything) doubles the wait
/// before the next list or watch; a healthy watch resets it. Without it a server that answers every resume with
/// 410 makes the informer relist in a tight loop.
/// </summary>
internal sealed class RelistBackoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>Cycles in a row that ended without a healthy watch.</summary>
    public int Failures { get; private set; }

    /// <summary>Counts one more unhealthy cycle and returns how long to wait: half to all of min(max, initial * 2^(failures-1)).</summary>
    public TimeSpan Next()
    {
        Failures++;
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(Failures - 1, 30)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (0.5 * _random.NextDouble())));
    }

    /// <summary>A watch was healthy: the next failure starts from <c>initial</c> again.</summary>
    public void Reset() => Failures = 0;
}
