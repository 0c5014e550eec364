using System.Globalization;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Controllers;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// Spot interruptions, explicit (an API call or the <c>sim.spotalis.io/interrupt</c> annotation) or random at the
/// pool's rate: the provider's taint (and cordon) at the notice; at its end the pods are evicted and the node removed.
/// </summary>
internal sealed class SpotInterruptions(ControllerContext context, NodeInventory inventory, INodePoolWorkQueue queue)
{
    /// <summary>Draws the random interruption of a new spot node from the pool's rate. Call under the state lock.</summary>
    public void OnNodeTracked(TrackedNode tracked)
    {
        if (tracked.Pool is { Options.CapacityType: NodeCapacityType.Spot, Options.InterruptionsPerNodeHour: > 0 } spot)
        {
            var hours = -Math.Log(1 - context.Random.NextDouble()) / spot.Options.InterruptionsPerNodeHour;
            queue.EnqueueAt(NodePoolWork.RandomInterruption(tracked.Name), tracked.CreatedAt + TimeSpan.FromHours(Math.Min(hours, 1e6)));
        }
    }

    /// <summary>Starts a spot interruption notice on the node; false when one is already running.</summary>
    public bool Interrupt(string nodeName)
    {
        var node = context.State.GetNode(nodeName) ?? throw new ArgumentException($"node \"{nodeName}\" does not exist", nameof(nodeName));
        var now = context.Now;
        lock (context.State.Sync)
        {
            if (!inventory.Nodes.TryGetValue(nodeName, out var tracked))
            {
                tracked = new TrackedNode(nodeName, null, node.Metadata.CreationTimestamp ?? now, NodeInventory.ZoneOf(node));
                inventory.Nodes[nodeName] = tracked;
            }

            if (tracked.Pool is { Options.CapacityType: NodeCapacityType.OnDemand } pool)
            {
                throw new ArgumentException($"node \"{nodeName}\" belongs to on-demand pool \"{pool.Options.Name}\"; only spot nodes are interrupted", nameof(nodeName));
            }

            if (tracked.ReclaimAt is not null)
            {
                return false;
            }

            tracked.ReclaimAt = now + context.Options.InterruptionNotice;
            inventory.Statistics = inventory.Statistics with { Interruptions = inventory.Statistics.Interruptions + 1 };
            queue.EnqueueAt(NodePoolWork.Reclaim(nodeName), tracked.ReclaimAt.Value);
        }

        var taint = inventory.Profile.InterruptionTaint;
        taint.TimeAdded = now;
        var cordon = inventory.Profile.CordonOnInterruption;
        context.Api.Mutate<V1Node>(null, nodeName, n =>
        {
            n.Spec ??= new V1NodeSpec();
            n.Spec.Taints ??= [];
            var changed = false;
            if (!n.Spec.Taints.Any(t => t.Key == taint.Key && t.Effect == taint.Effect))
            {
                n.Spec.Taints.Add(taint);
                changed = true;
            }

            if (cordon && n.Spec.Unschedulable != true)
            {
                n.Spec.Unschedulable = true;
                changed = true;
            }

            return changed;
        });
        return true;
    }

    /// <summary>The random interruption drawn for the node is due: interrupt it unless it is gone.</summary>
    public void InterruptAtRandom(string nodeName)
    {
        if (context.State.GetNode(nodeName) is not null)
        {
            Interrupt(nodeName);
        }
    }

    /// <summary>At the end of the notice: evict the node's pods and remove the node.</summary>
    public void Reclaim(string nodeName)
    {
        lock (context.State.Sync)
        {
            if (!inventory.Nodes.TryGetValue(nodeName, out var tracked) || tracked.ReclaimAt is not { } due)
            {
                return;
            }

            if (due > context.Now)
            {
                queue.EnqueueAt(NodePoolWork.Reclaim(nodeName), due);
                return;
            }
        }

        var disrupted = 0;
        foreach (var entry in context.State.PodsOnNode(nodeName))
        {
            if (PodFacts.IsTerminating(entry.Pod) || PodFacts.IsFinished(entry.Pod))
            {
                continue;
            }

            disrupted++;
            try
            {
                context.Api.Evict(entry.Pod.Metadata.NamespaceProperty, entry.Pod.Metadata.Name);
            }
            catch (ApiException ex) when (ex.StatusCode is 404 or 429)
            {
                // Refused or gone: the machine is reclaimed regardless, and the pod goes with its node.
            }
        }

        try
        {
            context.Api.Delete<V1Node>(null, nodeName);
        }
        catch (ApiException ex) when (ex.StatusCode == 404)
        {
            // Someone removed it first.
        }

        lock (context.State.Sync)
        {
            inventory.Statistics = inventory.Statistics with
            {
                NodesReclaimed = inventory.Statistics.NodesReclaimed + 1,
                PodsDisruptedByInterruptions = inventory.Statistics.PodsDisruptedByInterruptions + disrupted,
            };
        }
    }

    /// <summary>Whether a node change carries an unanswered <c>sim.spotalis.io/interrupt</c> request.</summary>
    public static bool IsRequested(ClusterChangeType type, V1Node node) =>
        type != ClusterChangeType.Deleted && node.Metadata.Annotations is { } annotations &&
        annotations.ContainsKey(CloudResources.InterruptAnnotation) && !annotations.ContainsKey(CloudResources.InterruptionResultAnnotation);

    /// <summary>Answers the annotation request with the notice's end or why it was refused, in a result annotation.</summary>
    public void AnswerRequest(string nodeName)
    {
        var node = context.State.GetNode(nodeName);
        if (node?.Metadata.Annotations is not { } annotations || !annotations.ContainsKey(CloudResources.InterruptAnnotation) ||
            annotations.ContainsKey(CloudResources.InterruptionResultAnnotation))
        {
            return;
        }

        string result;
        try
        {
            Interrupt(nodeName);
            DateTime? until;
            lock (context.State.Sync)
            {
                until = inventory.Nodes.TryGetValue(nodeName, out var tracked) ? tracked.ReclaimAt : null;
            }

            result = "notice until " + (until ?? context.Now).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }
        catch (ArgumentException refused)
        {
            result = "refused: " + refused.Message.Split(" (Parameter", 2)[0];
        }

        context.Api.Mutate<V1Node>(null, nodeName, n =>
        {
            n.Metadata.Annotations ??= new Dictionary<string, string>();
            if (n.Metadata.Annotations.ContainsKey(CloudResources.InterruptionResultAnnotation))
            {
                return false;
            }

            n.Metadata.Annotations[CloudResources.InterruptionResultAnnotation] = result;
            return true;
        });
    }
}
