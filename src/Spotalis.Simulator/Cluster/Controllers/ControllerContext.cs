using Microsoft.Extensions.Logging;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>What every simulated controller shares: the API, the cache, the clock, the timers and the seeded randomness.</summary>
internal sealed class ControllerContext(IClusterApi api, ClusterState state, ClusterOptions options, ILogger logger)
{
    public IClusterApi Api { get; } = api;

    public ClusterState State { get; } = state;

    public ClusterOptions Options { get; } = options;

    public ILogger Logger { get; } = logger;

    public TimerQueue Timers { get; } = new();

    /// <summary>The only source of randomness of the cluster behaviour (node names, spot interruptions).</summary>
    public Random Random { get; } = new(options.Seed);

    public TimeProvider Time => Api.Time;

    public DateTime Now => Api.Time.GetUtcNow().UtcDateTime;

    /// <summary>Marks <paramref name="key"/> dirty on <paramref name="controller"/> at <paramref name="dueUtc"/>.</summary>
    public void WakeAt<TKey>(WorkQueueController<TKey> controller, TKey key, DateTime dueUtc)
        where TKey : notnull
    {
        lock (State.Sync)
        {
            Timers.Schedule(controller, key, dueUtc);
        }
    }
}
