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
    IReadOnlyList<Core.DisruptionBudgetFacts>? GetDisruptionBudgets(string namespaceName) => null;

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

/// <summary>Identifies a managed workload. <see cref="Kind"/> is "Deployment" or "StatefulSet".</summary>
public sealed record WorkloadRef(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind}/{Namespace}/{Name}";
}

/// <summary>An owner reference as the cache keeps it.</summary>
public sealed record OwnerRef(string Kind, string Name, string Uid, bool Controller);

/// <summary>The parts of a Deployment or StatefulSet the operator decides from.</summary>
/// <param name="CurrentRevision">Deployment: pod-template-hash of the newest ReplicaSet; StatefulSet: status.updateRevision.</param>
/// <param name="RolloutInProgress">True while a Deployment/StatefulSet rollout is replacing pods.</param>
public sealed record WorkloadSnapshot(
    WorkloadRef Ref,
    string Uid,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    int Replicas,
    long Generation,
    long ObservedGeneration,
    string? CurrentRevision,
    bool RolloutInProgress)
{
    /// <summary>The labels of the pod template (every key): what PodDisruptionBudget selectors match pods by.</summary>
    public IReadOnlyDictionary<string, string> PodTemplateLabels { get; init; } = new Dictionary<string, string>();
}

/// <summary>The parts of a pod the operator decides from.</summary>
/// <param name="Revision">pod-template-hash (Deployment) or controller-revision-hash (StatefulSet) label.</param>
/// <param name="CapacityLabel">The <c>spotalis.io/capacity-type</c> label the webhook set, if any.</param>
/// <param name="UnschedulableSince">When PodScheduled became False with reason Unschedulable; null otherwise.</param>
/// <param name="Ordinal">StatefulSet ordinal parsed from the name; null for other pods.</param>
public sealed record PodSnapshot(
    string Namespace,
    string Name,
    string Uid,
    IReadOnlyList<OwnerRef> Owners,
    string? NodeName,
    string Phase,
    bool Ready,
    bool Terminating,
    DateTimeOffset CreatedAt,
    string? Revision,
    string? CapacityLabel,
    bool DoNotDisrupt,
    int? DeletionCost,
    DateTimeOffset? UnschedulableSince,
    int? Ordinal,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>True when the pod carries the annotation <c>spotalis.io/fallback=true</c> (set by the webhook).</summary>
    public bool IsFallback { get; init; }

    /// <summary>The <c>spotalis.io/admission-id</c> annotation: the uid of the admission that placed the pod.</summary>
    public string? AdmissionId { get; init; }

    /// <summary>The pod's <c>spotalis.io/fallback-since</c> mark: the workload's fallback decision, recorded in the cluster.</summary>
    public DateTimeOffset? FallbackSince { get; init; }
}

/// <summary>The parts of a node the classifier needs.</summary>
public sealed record NodeSnapshot(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<NodeTaintSnapshot> Taints,
    bool Unschedulable,
    bool Ready)
{
    /// <summary>status.allocatable.pods, or null when the node does not say.</summary>
    public int? AllocatablePods { get; init; }
}

/// <summary>A node taint.</summary>
public sealed record NodeTaintSnapshot(string Key, string? Value, string Effect);
