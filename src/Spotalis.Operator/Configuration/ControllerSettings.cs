namespace Spotalis.Operator.Configuration;

/// <summary>Workload controller timing and limits.</summary>
public sealed record ControllerSettings
{
    /// <summary>Periodic resync of every managed workload.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxConcurrentReconciles { get; init; } = 4;

    /// <summary>Per-workload pause after each eviction.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long spot-intended pods may stay unschedulable before replicas go to on-demand.</summary>
    public TimeSpan FallbackAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to stay in fallback before trying spot again.</summary>
    public TimeSpan ReclaimAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Cap of the interval between reclaim probes made without evidence of spot capacity.</summary>
    public TimeSpan ReclaimProbeMaxInterval { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Futile moves of a workload (replacement back on the capacity type it left) before its evictions pause.</summary>
    public int FutileMoveLimit { get; init; } = 2;

    /// <summary>First pause after futile moves; doubles with each further futile move.</summary>
    public TimeSpan FutileBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Cap of the pause after futile moves.</summary>
    public TimeSpan FutileBackoffMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Global eviction rate limit (token bucket refill per second).</summary>
    public double EvictionsPerSecond { get; init; } = 1;

    /// <summary>Global eviction burst (token bucket size).</summary>
    public int EvictionBurst { get; init; } = 5;
}
