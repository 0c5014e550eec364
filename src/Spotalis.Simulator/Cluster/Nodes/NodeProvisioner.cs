using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Controllers;
using Spotalis.Simulator.Cluster.Matching;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// Creates nodes: the pools' initial nodes, nodes added by hand, and — Karpenter-style — nodes for pods the
/// scheduler found unschedulable: the cheapest pool that can host them launches one after the provisioning delay,
/// unless a launch in flight will host them already; a launch into a pool in outage fails.
/// </summary>
internal sealed class NodeProvisioner(ControllerContext context, NodeInventory inventory, INodePoolWorkQueue queue)
{
    public async Task CreateInitialNodesAsync(CancellationToken cancellationToken)
    {
        foreach (var pool in inventory.Pools.Values.ToList())
        {
            int existing;
            lock (context.State.Sync)
            {
                existing = inventory.Nodes.Values.Count(n => n.Pool == pool);
            }

            for (var i = existing; i < pool.Options.InitialNodes; i++)
            {
                await CreateNodeAsync(pool, zone: null, cancellationToken).ConfigureAwait(false);
                CountAdded();
            }
        }
    }

    public async Task<IReadOnlyList<string>> AddNodesAsync(string poolName, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var pool = inventory.RequirePool(poolName);
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            names.Add(await CreateNodeAsync(pool, zone: null, cancellationToken).ConfigureAwait(false));
            CountAdded();
        }

        return names;
    }

    /// <summary>Launches nodes for unschedulable pods that in-flight launches will not already host.</summary>
    public void Plan()
    {
        if (!context.Options.EnableProvisioning)
        {
            return;
        }

        var pending = context.State.UnboundPods()
            .Where(p => PodFacts.IsUnschedulable(p.Pod) && !PodFacts.IsTerminating(p.Pod) && !PodFacts.IsFinished(p.Pod))
            .OrderBy(p => p.Pod.Metadata.CreationTimestamp).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var now = context.Now;
        lock (context.State.Sync)
        {
            var planned = inventory.Launches.Values.Select(l => new PlannedNode(l.Template)).ToList();
            foreach (var entry in pending)
            {
                var spec = entry.Pod.Spec;
                var placed = planned.FirstOrDefault(v => NodeFit.Reasons(spec, entry.Requests, v.Template, v.Used).Count == 0);
                if (placed is not null)
                {
                    placed.Used += entry.Requests;
                    continue;
                }

                var launch = ChooseLaunch(entry, now);
                if (launch is null)
                {
                    continue;
                }

                inventory.Launches[launch.Id] = launch;
                queue.Enqueue(NodePoolWork.WriteStatus);
                queue.EnqueueAt(NodePoolWork.FinishLaunch(launch.Id), launch.DueAt);
                planned.Add(new PlannedNode(launch.Template) { Used = entry.Requests });
            }
        }
    }

    public async Task FinishLaunchAsync(int id, CancellationToken cancellationToken)
    {
        PendingLaunch? launch;
        bool failed;
        lock (context.State.Sync)
        {
            if (!inventory.Launches.TryGetValue(id, out launch))
            {
                return;
            }

            if (launch.DueAt > context.Now)
            {
                queue.EnqueueAt(NodePoolWork.FinishLaunch(id), launch.DueAt);
                return;
            }

            inventory.Launches.Remove(id);
            queue.Enqueue(NodePoolWork.WriteStatus);
            failed = launch.Pool.InOutage(context.Now) || !launch.Pool.LaunchAllowed;
            if (failed)
            {
                // Insufficient capacity: the pods stay pending and the next plan skips this pool.
                inventory.Statistics = inventory.Statistics with { FailedLaunches = inventory.Statistics.FailedLaunches + 1 };
                queue.Enqueue(NodePoolWork.Provision);
            }
        }

        if (failed)
        {
            return;
        }

        await CreateNodeAsync(launch.Pool, launch.Zone, cancellationToken).ConfigureAwait(false);
        lock (context.State.Sync)
        {
            inventory.Statistics = inventory.Statistics with { NodesProvisioned = inventory.Statistics.NodesProvisioned + 1 };
            queue.Enqueue(NodePoolWork.Provision);
        }
    }

    // Cheapest pool (then name) not in outage, below its maximum, whose node would host the pod; least used zone first.
    private PendingLaunch? ChooseLaunch(PodEntry entry, DateTime now)
    {
        foreach (var pool in inventory.Pools.Values.OrderBy(p => p.Options.HourlyPrice).ThenBy(p => p.Options.Name, StringComparer.Ordinal))
        {
            if (pool.InOutage(now) || !pool.LaunchAllowed)
            {
                continue;
            }

            var inflight = inventory.Launches.Values.Where(l => l.Pool == pool).ToList();
            if (inventory.LiveNodes(pool) + inflight.Count >= pool.EffectiveMaxNodes)
            {
                continue;
            }

            var zones = pool.Zones
                .OrderBy(z => inventory.Nodes.Values.Count(n => n.Pool == pool && n.Zone == z) + inflight.Count(l => l.Zone == z))
                .ThenBy(z => z, StringComparer.Ordinal);
            foreach (var zone in zones)
            {
                var template = NodeFactory.Build(inventory.Profile, pool.Options, "provisioning", zone, 0, "provisioning", now);
                if (NodeFit.Reasons(entry.Pod.Spec, entry.Requests, template, ResourceAmounts.Zero).Count == 0)
                {
                    return new PendingLaunch(inventory.NextLaunchId(), pool, zone, now + context.Options.ProvisioningDelay, template);
                }
            }
        }

        return null;
    }

    private async Task<string> CreateNodeAsync(PoolRuntime pool, string? zone, CancellationToken cancellationToken)
    {
        var profile = inventory.Profile;
        for (var attempt = 0; ; attempt++)
        {
            V1Node node;
            lock (context.State.Sync)
            {
                var sequence = inventory.NextNodeSequence();
                zone ??= pool.Zones
                    .OrderBy(z => inventory.Nodes.Values.Count(n => n.Pool == pool && n.Zone == z))
                    .ThenBy(z => z, StringComparer.Ordinal).First();
                var name = profile.NodeName(pool.Options, sequence, context.Random);
                node = NodeFactory.Build(profile, pool.Options, name, zone, sequence, profile.ProviderId(name, zone, context.Random), context.Now);
            }

            try
            {
                var created = await context.Api.CreateAsync(node, cancellationToken).ConfigureAwait(false);
                return created.Metadata.Name;
            }
            catch (ApiException ex) when (ex.StatusCode == 409 && attempt < 10)
            {
                // A node of that name exists already (added by hand): take the next number.
            }
        }
    }

    private void CountAdded()
    {
        lock (context.State.Sync)
        {
            inventory.Statistics = inventory.Statistics with { NodesAdded = inventory.Statistics.NodesAdded + 1 };
        }
    }
}
