using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Controllers;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// The cloud's controls seen from outside: SimulatedPool objects (outage and node limit in spec, the pool's state in
/// status), Karpenter NodePools (capacity-type requirements and limits; a new NodePool is a new pool), and the
/// <c>sim.spotalis.io/interrupt</c> annotation on Nodes.
/// </summary>
internal sealed partial class NodePoolController
{
    private const string StatusKey = "*status";
    private const string SimulatedPoolPrefix = "spool:";
    private const string KarpenterNodePoolPrefix = "nodepool:";
    private const string InterruptRequestPrefix = "interrupt:";

    private readonly Dictionary<string, CustomObject> _simulatedPools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CustomObject> _karpenterNodePools = new(StringComparer.Ordinal);

    private bool IsKarpenter => _profile.Preset == ProviderPreset.Karpenter;

    private void OnCloudObjectChange(ClusterChangeType type, CustomObject obj)
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

        MarkDirty((index == _simulatedPools ? SimulatedPoolPrefix : KarpenterNodePoolPrefix) + name);
    }

    private void OnNodeAnnotations(ClusterChangeType type, V1Node node)
    {
        var annotations = node.Metadata.Annotations;
        if (type != ClusterChangeType.Deleted && annotations is not null &&
            annotations.ContainsKey(CloudResources.InterruptAnnotation) && !annotations.ContainsKey(CloudResources.InterruptionResultAnnotation))
        {
            MarkDirty(InterruptRequestPrefix + node.Metadata.Name);
        }
    }

    /// <summary>Reconciles the keys of this part; false when <paramref name="key"/> is not one of them.</summary>
    private async Task<bool> ReconcileCloudKeyAsync(string key, CancellationToken cancellationToken)
    {
        if (key == StatusKey)
        {
            WriteStatuses();
        }
        else if (key.StartsWith(SimulatedPoolPrefix, StringComparison.Ordinal))
        {
            ApplySimulatedPool(key[SimulatedPoolPrefix.Length..]);
        }
        else if (key.StartsWith(KarpenterNodePoolPrefix, StringComparison.Ordinal))
        {
            await ApplyNodePoolAsync(key[KarpenterNodePoolPrefix.Length..], cancellationToken).ConfigureAwait(false);
        }
        else if (key.StartsWith(InterruptRequestPrefix, StringComparison.Ordinal))
        {
            AnswerInterruptRequest(key[InterruptRequestPrefix.Length..]);
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>The definitions and one SimulatedPool (and, for Karpenter, one NodePool) per configured pool, unless they exist.</summary>
    private async Task EnsureCloudResourcesAsync(CancellationToken cancellationToken)
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

        foreach (var pool in _pools.Values.ToList())
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
            await Context.Api.CreateAsync(obj, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.StatusCode == 409)
        {
            // Already there (a second cluster on the same API, or a user's own definition).
        }
    }

    // spec.outage: a change starts or ends an outage; spec.maxNodes: the pool's limit.
    private void ApplySimulatedPool(string name)
    {
        lock (Context.State.Sync)
        {
            if (!_simulatedPools.TryGetValue(name, out var obj) || !_pools.TryGetValue(name, out var pool))
            {
                return;
            }

            if (CloudResources.Int(obj.Spec?["maxNodes"]) is { } max && max >= 0 && max != pool.MaxNodes)
            {
                pool.MaxNodes = max;
                MarkDirty(ProvisionKey);
            }

            var outage = CloudResources.Bool(obj.Spec?["outage"]) ?? false;
            if (pool.SeenOutageSpec != outage)
            {
                var first = pool.SeenOutageSpec is null;
                pool.SeenOutageSpec = outage;
                if (outage)
                {
                    pool.OutageUntil = DateTime.MaxValue;
                    Context.Logger.LogInformation("Simulated pool {Pool}: capacity outage started (SimulatedPool spec.outage=true)", name);
                }
                else if (!first)
                {
                    pool.OutageUntil = null;
                    MarkDirty(ProvisionKey);
                    Context.Logger.LogInformation("Simulated pool {Pool}: capacity outage ended (SimulatedPool spec.outage=false)", name);
                }
            }

            MarkDirty(StatusKey);
        }
    }

    // A NodePool of a known pool sets what it may launch and its limits; an unknown one becomes a new pool.
    private async Task ApplyNodePoolAsync(string name, CancellationToken cancellationToken)
    {
        CustomObject? obj;
        PoolRuntime? pool;
        lock (Context.State.Sync)
        {
            _karpenterNodePools.TryGetValue(name, out obj);
            _pools.TryGetValue(name, out pool);
            if (obj is null)
            {
                if (pool is not null)
                {
                    pool.LaunchAllowed = false;
                    pool.LaunchBlockedReason = $"NodePool {name} was deleted";
                    MarkDirty(StatusKey);
                }

                return;
            }
        }

        var allowed = CloudResources.AllowedCapacityTypes(obj);
        if (pool is null)
        {
            if (allowed.Count == 0)
            {
                Context.Logger.LogWarning("NodePool {NodePool} allows no capacity type; it launches nothing", name);
                return;
            }

            var type = allowed.Contains(NodeCapacityType.Spot) ? NodeCapacityType.Spot : NodeCapacityType.OnDemand;
            var like = _pools.Values.Select(p => p.Options).FirstOrDefault(o => o.CapacityType == type)
                ?? ClusterOptions.DefaultPools(0, 0).First(o => o.CapacityType == type);
            var options = like with { Name = name, InitialNodes = 0, MinNodes = 0, MaxNodes = 10, Zones = null };
            lock (Context.State.Sync)
            {
                pool = new PoolRuntime(options, _profile.DefaultZones);
                _pools[name] = pool;
            }

            Context.Logger.LogInformation("NodePool {NodePool}: a new {CapacityType} pool", name, CloudResources.CapacityTypeName(type));
            await CreateIfMissingAsync(CloudResources.SimulatedPool(options), cancellationToken).ConfigureAwait(false);
        }

        lock (Context.State.Sync)
        {
            pool.LaunchAllowed = allowed.Contains(pool.Options.CapacityType);
            pool.LaunchBlockedReason = pool.LaunchAllowed
                ? null
                : $"NodePool {name} requires {CloudResources.CapacityTypeLabel} in [{string.Join(", ", allowed.Select(CloudResources.CapacityTypeName))}]";
            pool.NodePoolLimit = CloudResources.NodeLimit(obj, pool.Options);
            MarkDirty(ProvisionKey);
            MarkDirty(StatusKey);
        }
    }

    private void AnswerInterruptRequest(string nodeName)
    {
        var node = Context.State.GetNode(nodeName);
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
            lock (Context.State.Sync)
            {
                until = _nodes.TryGetValue(nodeName, out var tracked) ? tracked.ReclaimAt : null;
            }

            result = "notice until " + (until ?? Context.Now).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }
        catch (ArgumentException refused)
        {
            result = "refused: " + refused.Message.Split(" (Parameter", 2)[0];
        }

        Context.Api.Mutate<V1Node>(null, nodeName, n =>
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

    // Each SimulatedPool's status says what the pool is doing now; written only when it changed.
    private void WriteStatuses()
    {
        var now = Context.Now;
        var writes = new List<CustomObject>();
        lock (Context.State.Sync)
        {
            foreach (var (name, obj) in _simulatedPools)
            {
                if (!_pools.TryGetValue(name, out var pool))
                {
                    continue;
                }

                var status = new JsonObject
                {
                    ["capacityType"] = CloudResources.CapacityTypeName(pool.Options.CapacityType),
                    ["nodes"] = _nodes.Values.Count(n => n.Pool == pool && n.ReclaimAt is null),
                    ["launching"] = _launches.Values.Count(l => l.Pool == pool),
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
            Context.Api.Update(write);
        }
    }
}
