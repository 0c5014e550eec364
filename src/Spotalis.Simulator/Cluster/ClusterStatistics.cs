namespace Spotalis.Simulator.Cluster;

/// <summary>Counters of the node machinery since the cluster started.</summary>
public sealed record ClusterStatistics
{
    /// <summary>Nodes created at start-up and by <see cref="SimulatedCluster.AddNodesAsync"/>.</summary>
    public int NodesAdded { get; init; }

    /// <summary>Nodes launched by provisioning for pending pods.</summary>
    public int NodesProvisioned { get; init; }

    /// <summary>Launches that failed because their pool was in a capacity outage.</summary>
    public int FailedLaunches { get; init; }

    /// <summary>Launches decided but not yet finished.</summary>
    public int PendingLaunches { get; init; }

    /// <summary>Spot interruption notices (explicit and random).</summary>
    public int Interruptions { get; init; }

    /// <summary>Nodes removed at the end of their interruption notice.</summary>
    public int NodesReclaimed { get; init; }

    /// <summary>Pods evicted or killed because their node was reclaimed.</summary>
    public int PodsDisruptedByInterruptions { get; init; }

    /// <summary>Empty nodes removed by scale-in.</summary>
    public int NodesScaledIn { get; init; }
}
