namespace Spotalis.Operator.Cache;

/// <summary>
/// Read-only view of the operator's watch cache: slim projections of namespaces, nodes, workloads and pods.
/// The workload controller and the admission webhook both decide from it; neither reads whole objects.
/// </summary>
public interface IClusterView
{
    /// <summary>True once every informer has completed its first full list.</summary>
    bool IsSynced { get; }

    /// <summary>The workload, or null when it is not in the cache.</summary>
    WorkloadSnapshot? GetWorkload(WorkloadRef workload);

    /// <summary>Every Deployment and StatefulSet in the cache (opted in or not).</summary>
    IReadOnlyList<WorkloadSnapshot> GetWorkloads();

    /// <summary>
    /// The Deployment or StatefulSet that owns a pod, following ReplicaSet -> Deployment; null when the pod has
    /// no such owner or the owner is not (yet) in the cache.
    /// </summary>
    WorkloadRef? ResolveOwner(string namespaceName, IReadOnlyList<OwnerRef> podOwners);

    /// <summary>The workload's pods (every revision, terminating ones included).</summary>
    IReadOnlyList<PodSnapshot> GetPods(WorkloadRef workload);

    /// <summary>The node, or null when it is not in the cache.</summary>
    NodeSnapshot? GetNode(string name);

    /// <summary>Every node in the cache.</summary>
    IReadOnlyList<NodeSnapshot> GetNodes();

    /// <summary>The pods bound to a node (any workload), or null when this view does not index pods by node.</summary>
    IReadOnlyList<PodSnapshot>? GetPodsOnNode(string nodeName) => null;

    /// <summary>The namespace's labels, or null when the namespace is not in the cache.</summary>
    IReadOnlyDictionary<string, string>? GetNamespaceLabels(string namespaceName);

    /// <summary>
    /// The namespace's PodDisruptionBudgets with their status, or null when this view does not keep them (then only
    /// a refused eviction tells the operator a budget blocks it).
    /// </summary>
    IReadOnlyList<Core.Disruption.DisruptionBudgetFacts>? GetDisruptionBudgets(string namespaceName) => null;

    /// <summary>
    /// Raised for every pod the watch reports (added, changed or deleted), after the view has applied it. The webhook
    /// uses it to stop counting an admission the moment its pod is seen. Views that do not raise it leave admissions
    /// counting until the webhook finds the pod in the view or the admission expires.
    /// </summary>
    event Action<PodSnapshot>? PodObserved
    {
        add { }
        remove { }
    }
}
