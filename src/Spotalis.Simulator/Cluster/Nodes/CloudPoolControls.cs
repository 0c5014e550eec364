using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Controllers;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// The cloud's controls seen from outside: SimulatedPool objects (outage and node limit in spec, the pool's state in
/// status), Karpenter NodePools (capacity-type requirements and limits; a new NodePool is a new pool). Creates the
/// definitions and one SimulatedPool (and NodePool) per configured pool at start.
/// </summary>
internal sealed class CloudPoolControls(ControllerContext context, NodeInventory inventory, INodePoolWorkQueue queue)
{
    private readonly Dictionary<string, CustomObject> _simulatedPools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CustomObject> _karpenterNodePools = new(StringComparer.Ordinal);

    private bool IsKarpenter => inventory.Profile.Preset == ProviderPreset.Karpenter;

    /// <summary>Indexes a SimulatedPool or NodePool change and queues its work. Call under the state lock.</summary>
    public void OnCloudObjectChange(ClusterChangeType type, CustomObject obj)
    {
        var name = obj.Metadata.Name;
        Dictionary<string, CustomObject>? index = (obj.Group, obj.Kind) switch
        {
            (CloudResources.SimGroup, CloudResources.SimulatedPoolKind) => _simulatedPools,
            (CloudResources.KarpenterGroup, CloudResources.NodePoolKind) when IsKarpenter => _karpenterNodePools,
            _ => null,
        };
        if (index is null)
        {
            return;
        }

        if (type == ClusterChangeType.Deleted)
        {
            index.Remove(name);
        }
        else
        {
            index[name] = obj;
        }

        queue.Enqueue(index == _simulatedPools ? NodePoolWork.SimulatedPool(name) : NodePoolWork.KarpenterNodePool(name));
    }

    /// <summary>The definitions and one SimulatedPool (and, for Karpenter, one NodePool) per configured pool, unless they exist.</summary>
    public async Task EnsureCloudResourcesAsync(CancellationToken cancellationToken)
    {
        var definitions = new List<V1CustomResourceDefinition> { CloudResources.SimulatedPoolDefinition() };
        if (IsKarpenter)
        {
            definitions.Add(CloudResources.NodePoolDefinition());
            definitions.Add(CloudResources.NodeClaimDefinition());
        }

        foreach (var definition in definitions)
        {
            await CreateIfMissingAsync(definition, cancellationToken).ConfigureAwait(false);
        }

        foreach (var pool in inventory.Pools.Values.ToList())
        {
            await CreateIfMissingAsync(CloudResources.SimulatedPool(pool.Options), cancellationToken).ConfigureAwait(false);
            if (IsKarpenter)
            {
                await CreateIfMissingAsync(CloudResources.NodePool(pool.Options), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CreateIfMissingAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            await context.Api.CreateAsync(obj, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.StatusCode == 409)
        {
            // Already there (a second cluster on the same API, or a user's own definition).
        }
    }

    // spec.outage: a change starts or ends an outage; spec.maxNodes: the pool's limit.
    public void ApplySimulatedPool(string name)
    {
        lock (context.State.Sync)
        {
            if (!_simulatedPools.TryGetValue(name, out var obj) || !inventory.Pools.TryGetValue(name, out var pool))
            {
                return;
            }

            if (CloudResources.Int(obj.Spec?["maxNodes"]) is { } max && max >= 0 && max != pool.MaxNodes)
            {
                pool.MaxNodes = max;
                queue.Enqueue(NodePoolWork.Provision);
            }

            var outage = CloudResources.Bool(obj.Spec?["outage"]) ?? false;
            if (pool.SeenOutageSpec != outage)
            {
                var first = pool.SeenOutageSpec is null;
                pool.SeenOutageSpec = outage;
                if (outage)
                {
                    pool.OutageUntil = DateTime.MaxValue;
                    context.Logger.PoolOutageStarted(name);
                }
                else if (!first)
                {
                    pool.OutageUntil = null;
                    queue.Enqueue(NodePoolWork.Provision);
                    context.Logger.PoolOutageEnded(name);
                }
            }

            queue.Enqueue(NodePoolWork.WriteStatus);
        }
    }

    // A NodePool of a known pool sets what it may launch and its limits; an unknown one becomes a new pool.
    public async Task ApplyNodePoolAsync(string name, CancellationToken cancellationToken)
    {
        CustomObject? obj;
        PoolRuntime? pool;
        lock (context.State.Sync)
        {
            _karpenterNodePools.TryGetValue(name, out obj);
            inventory.Pools.TryGetValue(name, out pool);
            if (obj is null)
            {
                if (pool is not null)
                {
                    pool.LaunchAllowed = false;
                    pool.LaunchBlockedReason = $"NodePool {name} was deleted";
                    queue.Enqueue(NodePoolWork.WriteStatus);
                }

                return;
            }
        }

        var allowed = CloudResources.AllowedCapacityTypes(obj);
        if (pool is null)
        {
            if (allowed.Count == 0)
            {
                context.Logger.NodePoolAllowsNothing(name);
                return;
            }

            var type = allowed.Contains(NodeCapacityType.Spot) ? NodeCapacityType.Spot : NodeCapacityType.OnDemand;
            var like = inventory.Pools.Values.Select(p => p.Options).FirstOrDefault(o => o.CapacityType == type)
                ?? ClusterOptions.DefaultPools(0, 0).First(o => o.CapacityType == type);
            var options = like with { Name = name, InitialNodes = 0, MinNodes = 0, MaxNodes = 10, Zones = null };
            lock (context.State.Sync)
            {
                pool = new PoolRuntime(options, inventory.Profile.DefaultZones);
                inventory.Pools[name] = pool;
            }

            var capacityType = CloudResources.CapacityTypeName(type);
            context.Logger.NodePoolAdded(name, capacityType);
            await CreateIfMissingAsync(CloudResources.SimulatedPool(options), cancellationToken).ConfigureAwait(false);
        }

        lock (context.State.Sync)
        {
            pool.LaunchAllowed = allowed.Contains(pool.Options.CapacityType);
            pool.LaunchBlockedReason = pool.LaunchAllowed
                ? null
                : $"NodePool {name} requires {CloudResources.CapacityTypeLabel} in [{string.Join(", ", allowed.Select(CloudResources.CapacityTypeName))}]";
            pool.NodePoolLimit = CloudResources.NodeLimit(obj, pool.Options);
            queue.Enqueue(NodePoolWork.Provision);
            queue.Enqueue(NodePoolWork.WriteStatus);
        }
    }

    // Each SimulatedPool's status says what the pool is doing now; written only when it changed.
    public void WriteStatuses()
    {
        var now = context.Now;
        var writes = new List<CustomObject>();
        lock (context.State.Sync)
        {
            foreach (var (name, obj) in _simulatedPools)
            {
                if (!inventory.Pools.TryGetValue(name, out var pool))
                {
                    continue;
                }

                var status = new JsonObject
                {
                    ["capacityType"] = CloudResources.CapacityTypeName(pool.Options.CapacityType),
                    ["nodes"] = inventory.LiveNodes(pool),
                    ["launching"] = inventory.Launches.Values.Count(l => l.Pool == pool),
                    ["maxNodes"] = pool.EffectiveMaxNodes,
                    ["inOutage"] = pool.InOutage(now),
                    ["launchAllowed"] = pool.LaunchAllowed,
                };
                if (pool.InOutage(now) && pool.OutageUntil is { } until && until != DateTime.MaxValue)
                {
                    status["outageUntil"] = until.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                }

                if (pool.LaunchBlockedReason is { } reason)
                {
                    status["launchBlockedBy"] = reason;
                }

                if (obj.Status is not null && JsonNode.DeepEquals(obj.Status, status))
                {
                    continue;
                }

                var copy = KubeJson.Clone(obj);
                copy.Status = status;
                writes.Add(copy);
            }
        }

        foreach (var write in writes)
        {
            context.Api.Update(write);
        }
    }
}
