using System.Globalization;
using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Matching;

namespace Spotalis.Simulator.Cluster.State;

/// <summary>
/// The controllers' shared informer cache: the stored snapshots of the kinds they act on, indexed by owner and by
/// node, plus every object's owner references for the garbage collector. Updated synchronously from
/// <see cref="IClusterApi.Subscribe"/>, so a controller that has just written sees its own write.
/// All members are guarded by <see cref="Sync"/>; queries return copies and never call the API.
/// The indexes must change together under one lock on every commit, so this file keeps all of their writes; the reads
/// are in ClusterState.Queries.cs.
/// </summary>
internal sealed partial class ClusterState
{
    private readonly Dictionary<string, PodEntry> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _podsByController = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _podsByNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResourceAmounts> _nodeUsage = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unboundPods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1ReplicaSet> _replicaSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _replicaSetsByController = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Deployment> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1StatefulSet> _statefulSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IKubernetesObject<V1ObjectMeta> Object, long Version)> _objectsByUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependentsByOwnerUid = new(StringComparer.Ordinal);

    public Lock Sync { get; } = new();

    /// <summary>
    /// Applies one committed change and returns the previous snapshot of the object (null when new), or
    /// <paramref name="stale"/> = true when the change is older than what is indexed.
    /// </summary>
    public IKubernetesObject<V1ObjectMeta>? Apply(ClusterChange change, out bool stale)
    {
        lock (Sync)
        {
            var obj = change.Object;
            var uid = obj.Metadata?.Uid;
            IKubernetesObject<V1ObjectMeta>? previous = null;
            stale = false;
            if (!string.IsNullOrEmpty(uid) && _objectsByUid.TryGetValue(uid, out var known))
            {
                if (known.Version > change.ResourceVersion)
                {
                    stale = true;
                    return known.Object;
                }

                previous = known.Object;
            }

            if (change.Type == ClusterChangeType.Deleted)
            {
                Remove(obj, uid, previous);
            }
            else
            {
                Upsert(obj, uid, previous, change.ResourceVersion);
            }

            return previous;
        }
    }

    /// <summary>Seeds the cache from a list taken at start-up; newer indexed versions win.</summary>
    public void Seed(IKubernetesObject<V1ObjectMeta> obj)
    {
        lock (Sync)
        {
            var uid = obj.Metadata?.Uid;
            if (string.IsNullOrEmpty(uid) || _objectsByUid.ContainsKey(uid))
            {
                return;
            }

            _ = long.TryParse(obj.Metadata!.ResourceVersion, NumberStyles.Integer, CultureInfo.InvariantCulture, out var version);
            Upsert(obj, uid, null, version);
        }
    }

    private void Upsert(IKubernetesObject<V1ObjectMeta> obj, string? uid, IKubernetesObject<V1ObjectMeta>? previous, long version)
    {
        if (!string.IsNullOrEmpty(uid))
        {
            _objectsByUid[uid] = (obj, version);
            UpdateDependents(uid, previous?.Metadata?.OwnerReferences, obj.Metadata.OwnerReferences);
        }

        switch (obj)
        {
            case V1Pod pod:
                UpsertPod(pod, previous as V1Pod);
                break;
            case V1ReplicaSet replicaSet:
                var rsKey = ObjectKey.Of(replicaSet.Metadata.NamespaceProperty, replicaSet.Metadata.Name);
                _replicaSets[rsKey] = replicaSet;
                Reindex(_replicaSetsByController, rsKey, ControllerUid(previous), ControllerUid(replicaSet));
                break;
            case V1Deployment deployment:
                _deployments[ObjectKey.Of(deployment.Metadata.NamespaceProperty, deployment.Metadata.Name)] = deployment;
                break;
            case V1StatefulSet statefulSet:
                _statefulSets[ObjectKey.Of(statefulSet.Metadata.NamespaceProperty, statefulSet.Metadata.Name)] = statefulSet;
                break;
            case V1Node node:
                _nodes[node.Metadata.Name] = node;
                break;
        }
    }

    private void Remove(IKubernetesObject<V1ObjectMeta> obj, string? uid, IKubernetesObject<V1ObjectMeta>? previous)
    {
        if (!string.IsNullOrEmpty(uid))
        {
            _objectsByUid.Remove(uid);
            UpdateDependents(uid, (previous ?? obj).Metadata?.OwnerReferences, null);
        }

        switch (obj)
        {
            case V1Pod pod:
                RemovePod(ObjectKey.Of(pod.Metadata.NamespaceProperty, pod.Metadata.Name));
                break;
            case V1ReplicaSet replicaSet:
                var rsKey = ObjectKey.Of(replicaSet.Metadata.NamespaceProperty, replicaSet.Metadata.Name);
                _replicaSets.Remove(rsKey);
                Reindex(_replicaSetsByController, rsKey, ControllerUid(previous ?? obj), null);
                break;
            case V1Deployment deployment:
                _deployments.Remove(ObjectKey.Of(deployment.Metadata.NamespaceProperty, deployment.Metadata.Name));
                break;
            case V1StatefulSet statefulSet:
                _statefulSets.Remove(ObjectKey.Of(statefulSet.Metadata.NamespaceProperty, statefulSet.Metadata.Name));
                break;
            case V1Node node:
                _nodes.Remove(node.Metadata.Name);
                break;
        }
    }

    private void UpsertPod(V1Pod pod, V1Pod? previousPod)
    {
        var key = ObjectKey.Of(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        _pods.TryGetValue(key, out var old);

        // Requests are immutable after creation: reuse the parsed figures of the same pod.
        var requests = old is not null && old.Pod.Metadata.Uid == pod.Metadata.Uid && previousPod is not null
            ? old.Requests
            : ResourceAmounts.ForPod(pod.Spec);
        var nodeName = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName;
        var entry = new PodEntry(pod, key, nodeName, ControllerUid(pod), requests);
        if (old is not null)
        {
            DetachPod(old);
        }

        _pods[key] = entry;
        AttachPod(entry);
    }

    private void RemovePod(string key)
    {
        if (_pods.Remove(key, out var old))
        {
            DetachPod(old);
        }
    }

    private void AttachPod(PodEntry entry)
    {
        Add(_podsByController, entry.ControllerUid, entry.Key);
        if (entry.NodeName is null)
        {
            _unboundPods.Add(entry.Key);
            return;
        }

        Add(_podsByNode, entry.NodeName, entry.Key);
        if (entry.HoldsNodeResources)
        {
            _nodeUsage[entry.NodeName] = _nodeUsage.GetValueOrDefault(entry.NodeName) + entry.Requests;
        }
    }

    private void DetachPod(PodEntry entry)
    {
        RemoveFrom(_podsByController, entry.ControllerUid, entry.Key);
        if (entry.NodeName is null)
        {
            _unboundPods.Remove(entry.Key);
            return;
        }

        RemoveFrom(_podsByNode, entry.NodeName, entry.Key);
        if (entry.HoldsNodeResources)
        {
            var usage = _nodeUsage.GetValueOrDefault(entry.NodeName) - entry.Requests;
            if (usage == ResourceAmounts.Zero)
            {
                _nodeUsage.Remove(entry.NodeName);
            }
            else
            {
                _nodeUsage[entry.NodeName] = usage;
            }
        }
    }

    private void UpdateDependents(string uid, IList<V1OwnerReference>? before, IList<V1OwnerReference>? after)
    {
        if (before is not null)
        {
            foreach (var owner in before)
            {
                if (after is null || !after.Any(o => o.Uid == owner.Uid))
                {
                    RemoveFrom(_dependentsByOwnerUid, owner.Uid, uid);
                }
            }
        }

        if (after is not null)
        {
            foreach (var owner in after)
            {
                Add(_dependentsByOwnerUid, owner.Uid, uid);
            }
        }
    }

    private static string? ControllerUid(IKubernetesObject<V1ObjectMeta>? obj) =>
        obj?.Metadata is { } metadata ? PodFacts.ControllerOf(metadata)?.Uid : null;

    private static void Reindex(Dictionary<string, HashSet<string>> index, string key, string? before, string? after)
    {
        if (before == after)
        {
            return;
        }

        RemoveFrom(index, before, key);
        Add(index, after, key);
    }

    private static void Add(Dictionary<string, HashSet<string>> index, string? bucket, string key)
    {
        if (string.IsNullOrEmpty(bucket))
        {
            return;
        }

        if (!index.TryGetValue(bucket, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            index[bucket] = set;
        }

        set.Add(key);
    }

    private static void RemoveFrom(Dictionary<string, HashSet<string>> index, string? bucket, string key)
    {
        if (string.IsNullOrEmpty(bucket) || !index.TryGetValue(bucket, out var set))
        {
            return;
        }

        set.Remove(key);
        if (set.Count == 0)
        {
            index.Remove(bucket);
        }
    }
}
