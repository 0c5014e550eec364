namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>A node pool while the cluster runs: its options plus what the cloud controls changed (limits, outage).</summary>
internal sealed class PoolRuntime(NodePoolOptions options, IReadOnlyList<string> zones)
{
    public NodePoolOptions Options { get; } = options;

    public IReadOnlyList<string> Zones { get; } = zones;

    public DateTime? OutageUntil { get; set; }

    /// <summary>The pool's limit as its SimulatedPool's <c>spec.maxNodes</c> says (the options' at first).</summary>
    public int MaxNodes { get; set; } = options.MaxNodes;

    /// <summary>What the Karpenter NodePool's <c>spec.limits</c> leave room for; null without limits or NodePool.</summary>
    public int? NodePoolLimit { get; set; }

    /// <summary>False when the pool's NodePool forbids the pool's capacity type (or was deleted): it launches nothing.</summary>
    public bool LaunchAllowed { get; set; } = true;

    /// <summary>Why <see cref="LaunchAllowed"/> is false, for the SimulatedPool status.</summary>
    public string? LaunchBlockedReason { get; set; }

    /// <summary>The last <c>spec.outage</c> seen on the SimulatedPool, so only a change of it starts or ends an outage.</summary>
    public bool? SeenOutageSpec { get; set; }

    public int EffectiveMaxNodes => NodePoolLimit is { } limit ? Math.Min(limit, MaxNodes) : MaxNodes;

    public bool InOutage(DateTime now) => OutageUntil is { } until && now < until;
}
