namespace Spotalis.Simulator.Cluster;

/// <summary>One simulated node pool: machine shape, price, size bounds and (for spot) how often it is interrupted.</summary>
public sealed record NodePoolOptions
{
    /// <summary>Pool name; becomes the provider's pool label value (e.g. <c>karpenter.sh/nodepool</c>).</summary>
    public required string Name { get; init; }

    public NodeCapacityType CapacityType { get; init; } = NodeCapacityType.OnDemand;

    /// <summary>Value of <c>node.kubernetes.io/instance-type</c>; null picks the preset's usual 4 vCPU / 16 GiB type.</summary>
    public string? InstanceType { get; init; }

    /// <summary>Allocatable CPU per node, as a Kubernetes quantity.</summary>
    public string Cpu { get; init; } = "4";

    /// <summary>Allocatable memory per node, as a Kubernetes quantity.</summary>
    public string Memory { get; init; } = "16Gi";

    /// <summary>Allocatable pod slots per node.</summary>
    public int MaxPods { get; init; } = 110;

    /// <summary>Price of one node for one hour, in any currency (the cost report sums node-hours times this).</summary>
    public decimal HourlyPrice { get; init; } = 0.192m;

    /// <summary>Nodes created when the cluster starts.</summary>
    public int InitialNodes { get; init; }

    /// <summary>Upper bound for the pool (provisioning never goes beyond it).</summary>
    public int MaxNodes { get; init; } = 10;

    /// <summary>Empty-node scale-in never goes below this.</summary>
    public int MinNodes { get; init; }

    /// <summary>Random spot interruptions per node and hour (Poisson rate); 0 = only explicit interruptions.</summary>
    public double InterruptionsPerNodeHour { get; init; }

    /// <summary>Zones the pool spreads its nodes over; null uses the preset's three zones.</summary>
    public IReadOnlyList<string>? Zones { get; init; }

    /// <summary>Extra labels on every node of the pool.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Extra taints on every node of the pool, as <c>key=value:Effect</c> or <c>key:Effect</c>.</summary>
    public IReadOnlyList<string>? Taints { get; init; }
}
