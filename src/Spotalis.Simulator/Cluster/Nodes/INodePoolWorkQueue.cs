namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>The node-pool controller's queue as its jobs see it. Call under the state lock.</summary>
internal interface INodePoolWorkQueue
{
    /// <summary>Marks <paramref name="work"/> for the next round.</summary>
    void Enqueue(NodePoolWork work);

    /// <summary>Marks <paramref name="work"/> when the cluster clock reaches <paramref name="dueUtc"/>.</summary>
    void EnqueueAt(NodePoolWork work, DateTime dueUtc);
}
