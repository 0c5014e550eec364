using k8s.Models;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// What the cloud knows, shared by the node-pool jobs: the pools, the nodes it tracks (and those gone, for the bill),
/// the launches in flight and the counters. Guarded by the cluster state lock.
/// </summary>
internal sealed class NodeInventory(ProviderProfile profile)
{
    private int _nextSequence;
    private int _nextLaunchId;

    public ProviderProfile Profile { get; } = profile;

    public Dictionary<string, PoolRuntime> Pools { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, TrackedNode> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>Nodes deleted since the start; they still count for the cost.</summary>
    public List<TrackedNode> Retired { get; } = [];

    public Dictionary<int, PendingLaunch> Launches { get; } = [];

    public ClusterStatistics Statistics { get; set; } = new();

    public int NextNodeSequence() => ++_nextSequence;

    public int NextLaunchId() => ++_nextLaunchId;

    /// <summary>Nodes of <paramref name="pool"/> that are not going away.</summary>
    public int LiveNodes(PoolRuntime pool) => Nodes.Values.Count(n => n.Pool == pool && n.ReclaimAt is null);

    public PoolRuntime RequirePool(string poolName) =>
        Pools.GetValueOrDefault(poolName)
        ?? throw new ArgumentException($"unknown node pool \"{poolName}\"; pools: {string.Join(", ", Pools.Keys)}", nameof(poolName));

    /// <summary>Tracks <paramref name="node"/> when it is new; the tracked entry, and whether it was new.</summary>
    public (TrackedNode Node, bool Added) Track(V1Node node, DateTime now)
    {
        var name = node.Metadata.Name;
        if (Nodes.TryGetValue(name, out var tracked))
        {
            return (tracked, false);
        }

        var pool = node.GetLabel(Profile.PoolLabelKey) is { } poolName ? Pools.GetValueOrDefault(poolName) : null;
        tracked = new TrackedNode(name, pool, node.Metadata.CreationTimestamp ?? now, ZoneOf(node));
        Nodes[name] = tracked;
        return (tracked, true);
    }

    public static string? ZoneOf(V1Node node) => node.GetLabel("topology.kubernetes.io/zone");

    /// <summary>Moves a deleted node to <see cref="Retired"/>.</summary>
    public void Retire(string name, DateTime now)
    {
        if (Nodes.Remove(name, out var gone))
        {
            gone.DeletedAt = now;
            Retired.Add(gone);
        }
    }
}
