using k8s.Models;
using Spotalis.Simulator.Cluster.Controllers;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>Optional scale-in: a pool node empty for <see cref="ClusterOptions.EmptyNodeTtl"/> is removed, down to the pool's minimum.</summary>
internal sealed class EmptyNodeScaleIn(ControllerContext context, NodeInventory inventory, INodePoolWorkQueue queue)
{
    public bool Enabled => context.Options.EmptyNodeTtl is not null;

    public void ScaleInIfEmpty(V1Node node)
    {
        if (context.Options.EmptyNodeTtl is not { } ttl)
        {
            return;
        }

        var name = node.Metadata.Name;
        var busy = context.State.PodsOnNode(name).Any(p => !PodFacts.IsFinished(p.Pod));
        var now = context.Now;
        lock (context.State.Sync)
        {
            if (!inventory.Nodes.TryGetValue(name, out var tracked) || tracked.Pool is null || tracked.ReclaimAt is not null)
            {
                return;
            }

            if (busy)
            {
                tracked.EmptySince = null;
                return;
            }

            tracked.EmptySince ??= now;
            var due = tracked.EmptySince.Value + ttl;
            if (due > now)
            {
                queue.EnqueueAt(NodePoolWork.Node(name), due);
                return;
            }

            if (inventory.LiveNodes(tracked.Pool) <= tracked.Pool.Options.MinNodes)
            {
                return;
            }

            tracked.ReclaimAt = now;
            inventory.Statistics = inventory.Statistics with { NodesScaledIn = inventory.Statistics.NodesScaledIn + 1 };
        }

        context.Api.Delete<V1Node>(null, name);
    }
}
