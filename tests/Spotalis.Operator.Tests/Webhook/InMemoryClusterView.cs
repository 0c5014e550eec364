using System.Collections.Concurrent;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Tests.Webhook;

/// <summary>A hand-filled <see cref="IClusterView"/>: ReplicaSets map to their Deployment, pods are listed per workload.</summary>
internal sealed class InMemoryClusterView : IClusterView
{
    private readonly ConcurrentDictionary<WorkloadRef, WorkloadSnapshot> _workloads = new();
    private readonly ConcurrentDictionary<(string Namespace, string ReplicaSet), WorkloadRef> _replicaSets = new();
    private readonly ConcurrentDictionary<WorkloadRef, ConcurrentDictionary<string, PodSnapshot>> _pods = new();
    private readonly ConcurrentDictionary<string, NodeSnapshot> _nodes = new();
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _namespaces = new();

    public bool IsSynced { get; set; } = true;

    public Exception? FailWith { get; set; }

    public WorkloadSnapshot AddDeployment(
        string namespaceName,
        string name,
        int replicas,
        IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyDictionary<string, string>? annotations = null,
        string replicaSet = "")
    {
        var workload = new WorkloadSnapshot(
            new WorkloadRef("Deployment", namespaceName, name),
            $"uid-{name}",
            labels ?? new Dictionary<string, string>(),
            annotations ?? new Dictionary<string, string>(),
            replicas,
            1,
            1,
            "abc123",
            false);
        _workloads[workload.Ref] = workload;
        _replicaSets[(namespaceName, replicaSet.Length > 0 ? replicaSet : name + "-abc123")] = workload.Ref;
        return workload;
    }

    public WorkloadSnapshot AddStatefulSet(
        string namespaceName,
        string name,
        int replicas,
        IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var workload = new WorkloadSnapshot(
            new WorkloadRef("StatefulSet", namespaceName, name),
            $"uid-{name}",
            labels ?? new Dictionary<string, string>(),
            annotations ?? new Dictionary<string, string>(),
            replicas,
            1,
            1,
            "web-rev1",
            false);
        _workloads[workload.Ref] = workload;
        return workload;
    }

    public void SetNamespaceLabels(string namespaceName, IReadOnlyDictionary<string, string> labels) => _namespaces[namespaceName] = labels;

    public void AddNode(string name, IReadOnlyDictionary<string, string> labels) =>
        _nodes[name] = new NodeSnapshot(name, labels, [], false, true);

    /// <summary>The watch reports a pod added or changed (raises <see cref="PodObserved"/> like the operator's cache).</summary>
    public void AddPod(WorkloadRef workload, PodSnapshot pod)
    {
        _pods.GetOrAdd(workload, _ => new ConcurrentDictionary<string, PodSnapshot>())[pod.Name] = pod;
        PodObserved?.Invoke(pod);
    }

    /// <summary>The watch reports a pod deleted.</summary>
    public void RemovePod(WorkloadRef workload, string name)
    {
        if (_pods.TryGetValue(workload, out var pods) && pods.TryRemove(name, out var pod))
        {
            PodObserved?.Invoke(pod);
        }
    }

    public event Action<PodSnapshot>? PodObserved;

    public WorkloadSnapshot? GetWorkload(WorkloadRef workload)
    {
        Fail();
        return _workloads.GetValueOrDefault(workload);
    }

    public IReadOnlyList<WorkloadSnapshot> GetWorkloads() => [.. _workloads.Values];

    public WorkloadRef? ResolveOwner(string namespaceName, IReadOnlyList<OwnerRef> podOwners)
    {
        Fail();
        foreach (var owner in podOwners)
        {
            if (!owner.Controller)
            {
                continue;
            }

            if (owner.Kind == "ReplicaSet" && _replicaSets.TryGetValue((namespaceName, owner.Name), out var deployment))
            {
                return deployment;
            }

            var statefulSet = new WorkloadRef("StatefulSet", namespaceName, owner.Name);
            if (owner.Kind == "StatefulSet" && _workloads.ContainsKey(statefulSet))
            {
                return statefulSet;
            }
        }

        return null;
    }

    public IReadOnlyList<PodSnapshot> GetPods(WorkloadRef workload) =>
        _pods.TryGetValue(workload, out var pods) ? [.. pods.Values] : [];

    public NodeSnapshot? GetNode(string name) => _nodes.GetValueOrDefault(name);

    public IReadOnlyList<NodeSnapshot> GetNodes() => [.. _nodes.Values];

    public IReadOnlyDictionary<string, string>? GetNamespaceLabels(string namespaceName) => _namespaces.GetValueOrDefault(namespaceName);

    private void Fail()
    {
        if (FailWith is not null)
        {
            throw FailWith;
        }
    }
}
