using k8s;
using k8s.Models;
using Spotalis.Simulator.Cluster.Matching;

namespace Spotalis.Simulator.Cluster.State;

/// <summary>The reads controllers make: each takes the lock and returns a copy, so a caller never sees an index change under it.</summary>
internal sealed partial class ClusterState
{
    public PodEntry? GetPod(string key)
    {
        lock (Sync)
        {
            return _pods.GetValueOrDefault(key);
        }
    }

    public List<PodEntry> PodsControlledBy(string controllerUid)
    {
        lock (Sync)
        {
            return Collect(_podsByController, controllerUid, _pods);
        }
    }

    public List<PodEntry> PodsOnNode(string nodeName)
    {
        lock (Sync)
        {
            return Collect(_podsByNode, nodeName, _pods);
        }
    }

    public int PodCountOnNode(string nodeName)
    {
        lock (Sync)
        {
            return _podsByNode.TryGetValue(nodeName, out var set) ? set.Count : 0;
        }
    }

    public List<PodEntry> UnboundPods()
    {
        lock (Sync)
        {
            var result = new List<PodEntry>(_unboundPods.Count);
            foreach (var key in _unboundPods)
            {
                result.Add(_pods[key]);
            }

            return result;
        }
    }

    public ResourceAmounts NodeUsage(string nodeName)
    {
        lock (Sync)
        {
            return _nodeUsage.GetValueOrDefault(nodeName);
        }
    }

    public V1Node? GetNode(string name)
    {
        lock (Sync)
        {
            return _nodes.GetValueOrDefault(name);
        }
    }

    public List<V1Node> Nodes()
    {
        lock (Sync)
        {
            return [.. _nodes.Values];
        }
    }

    public V1ReplicaSet? GetReplicaSet(string key)
    {
        lock (Sync)
        {
            return _replicaSets.GetValueOrDefault(key);
        }
    }

    public List<V1ReplicaSet> ReplicaSetsControlledBy(string controllerUid)
    {
        lock (Sync)
        {
            return Collect(_replicaSetsByController, controllerUid, _replicaSets);
        }
    }

    public V1Deployment? GetDeployment(string key)
    {
        lock (Sync)
        {
            return _deployments.GetValueOrDefault(key);
        }
    }

    public V1StatefulSet? GetStatefulSet(string key)
    {
        lock (Sync)
        {
            return _statefulSets.GetValueOrDefault(key);
        }
    }

    public IKubernetesObject<V1ObjectMeta>? GetByUid(string uid)
    {
        lock (Sync)
        {
            return _objectsByUid.TryGetValue(uid, out var known) ? known.Object : null;
        }
    }

    public bool Exists(string uid)
    {
        lock (Sync)
        {
            return _objectsByUid.ContainsKey(uid);
        }
    }

    public bool HasDependents(string ownerUid)
    {
        lock (Sync)
        {
            return _dependentsByOwnerUid.ContainsKey(ownerUid);
        }
    }

    /// <summary>The current snapshots of every object that lists <paramref name="ownerUid"/> as an owner.</summary>
    public List<IKubernetesObject<V1ObjectMeta>> DependentsOf(string ownerUid)
    {
        lock (Sync)
        {
            var result = new List<IKubernetesObject<V1ObjectMeta>>();
            if (_dependentsByOwnerUid.TryGetValue(ownerUid, out var uids))
            {
                foreach (var uid in uids)
                {
                    if (_objectsByUid.TryGetValue(uid, out var known))
                    {
                        result.Add(known.Object);
                    }
                }
            }

            return result;
        }
    }

    /// <summary>Owner uids that are referenced by some object but are not (or no longer) indexed.</summary>
    public List<string> ReferencedOwnersNotIndexed()
    {
        lock (Sync)
        {
            return [.. _dependentsByOwnerUid.Keys.Where(uid => !_objectsByUid.ContainsKey(uid))];
        }
    }

    public List<IKubernetesObject<V1ObjectMeta>> ObjectsBeingDeletedWithFinalizers()
    {
        lock (Sync)
        {
            return [.. _objectsByUid.Values.Select(v => v.Object)
                .Where(o => o.Metadata.DeletionTimestamp is not null && o.Metadata.Finalizers is { Count: > 0 })];
        }
    }

    private static List<TValue> Collect<TValue>(Dictionary<string, HashSet<string>> index, string bucket, Dictionary<string, TValue> values)
    {
        if (!index.TryGetValue(bucket, out var keys))
        {
            return [];
        }

        var result = new List<TValue>(keys.Count);
        foreach (var key in keys)
        {
            if (values.TryGetValue(key, out var value))
            {
                result.Add(value);
            }
        }

        return result;
    }
}
