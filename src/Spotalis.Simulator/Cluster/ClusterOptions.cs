namespace Spotalis.Simulator.Cluster;

/// <summary>How the simulated cluster behaves: provider preset, node pools and the timings of its machinery.</summary>
public sealed record ClusterOptions
{
    public ProviderPreset Preset { get; init; } = ProviderPreset.Karpenter;

    /// <summary>The node pools; see <see cref="WithPools"/> for the usual spot + on-demand pair.</summary>
    public IReadOnlyList<NodePoolOptions> Pools { get; init; } = DefaultPools(2, 2);

    /// <summary>From binding to Running (containers started).</summary>
    public TimeSpan PodStartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>From Running to Ready (readiness probe passing).</summary>
    public TimeSpan PodReadyDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How long containers take to exit after SIGTERM; a terminating pod is finished at the earlier of this and its
    /// grace period. Null: containers use the whole grace period, as a process that ignores SIGTERM would.
    /// </summary>
    public TimeSpan? ContainerStopDuration { get; init; }

    /// <summary>From the decision to launch a node to the node being Ready.</summary>
    public TimeSpan ProvisioningDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Spot interruption notice: from the taint to the node's removal (AWS gives two minutes).</summary>
    public TimeSpan InterruptionNotice { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Empty nodes are removed after this long (down to each pool's MinNodes); null keeps them.</summary>
    public TimeSpan? EmptyNodeTtl { get; init; }

    /// <summary>Seed of the only random source (node names, random interruptions), for reproducible runs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How often the background loop checks its timers when nothing changes.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Provision nodes for unschedulable pods; false keeps the node set fixed (apart from explicit calls).</summary>
    public bool EnableProvisioning { get; init; } = true;

    /// <summary>A spot pool "spot" and an on-demand pool "on-demand" of 4 vCPU / 16 GiB nodes, like the demo uses.</summary>
    public static IReadOnlyList<NodePoolOptions> DefaultPools(int spotNodes, int onDemandNodes) =>
    [
        new NodePoolOptions
        {
            Name = "spot",
            CapacityType = NodeCapacityType.Spot,
            HourlyPrice = 0.0672m,
            InitialNodes = spotNodes,
            MaxNodes = Math.Max(10, spotNodes * 2),
        },
        new NodePoolOptions
        {
            Name = "on-demand",
            CapacityType = NodeCapacityType.OnDemand,
            HourlyPrice = 0.192m,
            InitialNodes = onDemandNodes,
            MaxNodes = Math.Max(10, onDemandNodes * 2),
        },
    ];

    /// <summary>These options with the default spot + on-demand pools of the given initial sizes.</summary>
    public ClusterOptions WithPools(int spotNodes, int onDemandNodes) => this with { Pools = DefaultPools(spotNodes, onDemandNodes) };
}
