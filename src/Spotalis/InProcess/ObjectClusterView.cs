using Spotalis.Core.Disruption;
using Spotalis.Core.Workloads;
using Spotalis.Operator.Cache;
using k8s;
using k8s.Models;

namespace Spotalis.InProcess;

/// <summary>
/// An <see cref="IClusterView"/> kept from API objects handed to it: from one listing (for `spotalis status` and
/// `explain`) or from every change of the in-process simulator (for `spotalis simulate`), where it plays the part
/// of the operator's watch cache. Thread-safe.
/// </summary>
public sealed class ObjectClusterView : IClusterView
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeSnapshot> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Deployment> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1StatefulSet> _statefulSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1ReplicaSet> _replicaSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, V1ReplicaSet>> _replicaSetsByDeployment = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodSnapshot> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, PodSnapshot>> _podsByOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DisruptionBudgetFacts> _budgets = new(StringComparer.Ordinal);

    public bool IsSynced => true;

    /// <inheritdoc />
    public event Action<PodSnapshot>? PodObserved;

    /// <summary>Adds or replaces an object of a kind the view keeps; other kinds are ignored.</summary>
    public void Upsert(IKubernetesObject<V1ObjectMeta> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            Remove(item, keepLock: true);
            switch (item)
            {
                case V1Namespace ns:
                    _namespaces[ns.Metadata.Name] = Projections.NamespaceLabels(ns);
                    break;
                case V1Node node:
                    _nodes[node.Metadata.Name] = Projections.Node(node);
                    break;
                case V1Deployment deployment:
                    _deployments[Key(deployment.Metadata)] = deployment;
                    break;
                case V1StatefulSet statefulSet:
                    _statefulSets[Key(statefulSet.Metadata)] = statefulSet;
                    break;
                case V1ReplicaSet replicaSet:
                    _replicaSets[Key(replicaSet.Metadata)] = replicaSet;
                    if (ControllerOf(replicaSet.Metadata) is { Kind: WorkloadKinds.Deployment } owner)
                    {
                        Index(_replicaSetsByDeployment, $"{replicaSet.Metadata.NamespaceProperty}/{owner.Name}")[replicaSet.Metadata.Name] = replicaSet;
                    }

                    break;
                case V1PodDisruptionBudget budget:
                    _budgets[Key(budget.Metadata)] = Projections.DisruptionBudget(budget);
                    break;
                case V1Pod pod:
                    var snapshot = Projections.Pod(pod);
                    _pods[Key(pod.Metadata)] = snapshot;
                    if (OwnerKey(snapshot) is { } ownerKey)
                    {
                        Index(_podsByOwner, ownerKey)[snapshot.Name] = snapshot;
                    }

                    break;
            }
        }

        // As the operator's cache: an admission stops counting once its pod counts among its workload's pods, not
        // while the pod's ReplicaSet is still unknown to the view.
        if (item is V1Pod changed && Projections.Pod(changed) is var observed && ResolveOwner(observed.Namespace, observed.Owners) is not null)
        {
            PodObserved?.Invoke(observed);
        }
    }

    /// <summary>Forgets an object (a Deleted change).</summary>
    public void Remove(IKubernetesObject<V1ObjectMeta> item)
    {
        Remove(item, keepLock: false);
        if (item is V1Pod removed)
        {
            PodObserved?.Invoke(Projections.Pod(removed));
        }
    }

    public WorkloadSnapshot? GetWorkload(WorkloadRef workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        lock (_lock)
        {
            var key = $"{workload.Namespace}/{workload.Name}";
            return workload.Kind switch
            {
                WorkloadKinds.Deployment when _deployments.TryGetValue(key, out var d) => DeploymentSnapshot(d),
                WorkloadKinds.StatefulSet when _statefulSets.TryGetValue(key, out var s) => StatefulSetSnapshot(s),
                _ => null,
            };
        }
    }

    public IReadOnlyList<WorkloadSnapshot> GetWorkloads()
    {
        lock (_lock)
        {
            return [.. _deployments.Values.Select(DeploymentSnapshot), .. _statefulSets.Values.Select(StatefulSetSnapshot)];
        }
    }

    public WorkloadRef? ResolveOwner(string namespaceName, IReadOnlyList<OwnerRef> podOwners)
    {
        ArgumentNullException.ThrowIfNull(podOwners);
        var owner = podOwners.FirstOrDefault(o => o.Controller) ?? (podOwners.Count == 1 ? podOwners[0] : null);
        lock (_lock)
        {
            switch (owner?.Kind)
            {
                case WorkloadKinds.StatefulSet:
                    return _statefulSets.ContainsKey($"{namespaceName}/{owner.Name}") ? new WorkloadRef(WorkloadKinds.StatefulSet, namespaceName, owner.Name) : null;
                case WorkloadKinds.ReplicaSet:
                    return _replicaSets.TryGetValue($"{namespaceName}/{owner.Name}", out var replicaSet) &&
                           ControllerOf(replicaSet.Metadata) is { Kind: WorkloadKinds.Deployment } deployment &&
                           _deployments.ContainsKey($"{namespaceName}/{deployment.Name}")
                        ? new WorkloadRef(WorkloadKinds.Deployment, namespaceName, deployment.Name)
                        : null;
                default:
                    return null;
            }
        }
    }

    public IReadOnlyList<PodSnapshot> GetPods(WorkloadRef workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        lock (_lock)
        {
            return PodsOf(workload);
        }
    }

    public NodeSnapshot? GetNode(string name)
    {
        lock (_lock)
        {
            return _nodes.GetValueOrDefault(name);
        }
    }

    public IReadOnlyList<NodeSnapshot> GetNodes()
    {
        lock (_lock)
        {
            return [.. _nodes.Values];
        }
    }

    public IReadOnlyList<PodSnapshot>? GetPodsOnNode(string nodeName)
    {
        lock (_lock)
        {
            return [.. _pods.Values.Where(p => p.NodeName == nodeName)];
        }
    }

    public IReadOnlyDictionary<string, string>? GetNamespaceLabels(string namespaceName)
    {
        lock (_lock)
        {
            return _namespaces.GetValueOrDefault(namespaceName);
        }
    }

    public IReadOnlyList<DisruptionBudgetFacts> GetDisruptionBudgets(string namespaceName)
    {
        lock (_lock)
        {
            return [.. _budgets.Values.Where(b => b.Namespace == namespaceName)];
        }
    }

    /// <summary>Every pod the view holds (any owner).</summary>
    public IReadOnlyList<PodSnapshot> GetAllPods()
    {
        lock (_lock)
        {
            return [.. _pods.Values];
        }
    }

    private List<PodSnapshot> PodsOf(WorkloadRef workload)
    {
        if (workload.Kind == WorkloadKinds.StatefulSet)
        {
            return _podsByOwner.TryGetValue($"StatefulSet/{workload.Namespace}/{workload.Name}", out var owned) ? [.. owned.Values] : [];
        }

        var pods = new List<PodSnapshot>();
        if (_replicaSetsByDeployment.TryGetValue($"{workload.Namespace}/{workload.Name}", out var replicaSets))
        {
            foreach (var name in replicaSets.Keys)
            {
                if (_podsByOwner.TryGetValue($"ReplicaSet/{workload.Namespace}/{name}", out var owned))
                {
                    pods.AddRange(owned.Values);
                }
            }
        }

        return pods;
    }

    private WorkloadSnapshot DeploymentSnapshot(V1Deployment deployment)
    {
        var replicaSets = _replicaSetsByDeployment.TryGetValue(Key(deployment.Metadata), out var owned) ? owned.Values.ToList() : [];
        return SnapshotProjections.Deployment(deployment, replicaSets, rs =>
            _podsByOwner.TryGetValue($"ReplicaSet/{rs.Metadata.NamespaceProperty}/{rs.Metadata.Name}", out var pods) &&
            pods.Values.Any(p => p.IsLive));
    }

    private WorkloadSnapshot StatefulSetSnapshot(V1StatefulSet statefulSet) =>
        SnapshotProjections.StatefulSet(statefulSet, PodsOf(new WorkloadRef(WorkloadKinds.StatefulSet, statefulSet.Metadata.NamespaceProperty, statefulSet.Metadata.Name)));

    private void Remove(IKubernetesObject<V1ObjectMeta> item, bool keepLock)
    {
        if (!keepLock)
        {
            lock (_lock)
            {
                Remove(item, keepLock: true);
            }

            return;
        }

        var key = Key(item.Metadata);
        switch (item)
        {
            case V1Namespace ns:
                _namespaces.Remove(ns.Metadata.Name);
                break;
            case V1Node node:
                _nodes.Remove(node.Metadata.Name);
                break;
            case V1Deployment:
                _deployments.Remove(key);
                break;
            case V1StatefulSet:
                _statefulSets.Remove(key);
                break;
            case V1ReplicaSet:
                if (_replicaSets.Remove(key, out var oldReplicaSet) && ControllerOf(oldReplicaSet.Metadata) is { Kind: WorkloadKinds.Deployment } owner)
                {
                    Unindex(_replicaSetsByDeployment, $"{oldReplicaSet.Metadata.NamespaceProperty}/{owner.Name}", oldReplicaSet.Metadata.Name);
                }

                break;
            case V1PodDisruptionBudget:
                _budgets.Remove(key);
                break;
            case V1Pod:
                if (_pods.Remove(key, out var oldPod) && OwnerKey(oldPod) is { } ownerKey)
                {
                    Unindex(_podsByOwner, ownerKey, oldPod.Name);
                }

                break;
        }
    }

    private static string? OwnerKey(PodSnapshot pod)
    {
        var owner = pod.Owners.FirstOrDefault(o => o.Controller) ?? (pod.Owners.Count == 1 ? pod.Owners[0] : null);
        return owner is null ? null : $"{owner.Kind}/{pod.Namespace}/{owner.Name}";
    }

    private static V1OwnerReference? ControllerOf(V1ObjectMeta metadata) => metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    private static Dictionary<string, T> Index<T>(Dictionary<string, Dictionary<string, T>> index, string key)
    {
        if (!index.TryGetValue(key, out var items))
        {
            items = new Dictionary<string, T>(StringComparer.Ordinal);
            index[key] = items;
        }

        return items;
    }

    private static void Unindex<T>(Dictionary<string, Dictionary<string, T>> index, string key, string name)
    {
        if (index.TryGetValue(key, out var items) && items.Remove(name) && items.Count == 0)
        {
            index.Remove(key);
        }
    }

    private static string Key(V1ObjectMeta metadata) => $"{metadata.NamespaceProperty}/{metadata.Name}";
}
