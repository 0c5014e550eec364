namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>A node the cloud knows about, with what its bill and its end depend on.</summary>
internal sealed class TrackedNode(string name, PoolRuntime? pool, DateTime createdAt, string? zone)
{
    public string Name { get; } = name;

    public PoolRuntime? Pool { get; } = pool;

    public DateTime CreatedAt { get; } = createdAt;

    public string? Zone { get; } = zone;

    public DateTime? DeletedAt { get; set; }

    /// <summary>When the node goes away (end of an interruption notice, or now for scale-in).</summary>
    public DateTime? ReclaimAt { get; set; }

    public DateTime? EmptySince { get; set; }
}
