using Microsoft.Extensions.Logging;
using Spotalis.Core.Workloads;
using Spotalis.Operator.Observability;
using k8s;
using k8s.Models;

namespace Spotalis.Operator.Cache;

/// <summary>
/// The operator's watch cache: list+watch of namespaces, nodes, Deployments, ReplicaSets, StatefulSets, pods and
/// PodDisruptionBudgets, kept as slim projections with owner indexes. Implements <see cref="IClusterView"/> for the controller and the
/// webhook, and raises <see cref="WorkloadChanged"/> so the controller can queue work.
/// </summary>
public sealed class ClusterCache : IClusterView
{
    private readonly ResourceInformer<V1Namespace, V1NamespaceList, NamespaceSnapshot> _namespaces;
    private readonly ResourceInformer<V1Node, V1NodeList, NodeSnapshot> _nodes;
    private readonly ResourceInformer<V1Deployment, V1DeploymentList, DeploymentSnapshot> _deployments;
    private readonly ResourceInformer<V1ReplicaSet, V1ReplicaSetList, ReplicaSetSnapshot> _replicaSets;
    private readonly ResourceInformer<V1StatefulSet, V1StatefulSetList, StatefulSetSnapshot> _statefulSets;
    private readonly ResourceInformer<V1Pod, V1PodList, PodSnapshot> _pods;
    private readonly ResourceInformer<V1PodDisruptionBudget, V1PodDisruptionBudgetList, Core.Disruption.DisruptionBudgetFacts> _budgets;
    private readonly OwnerIndex<PodSnapshot> _podsByOwner = new();
    private readonly OwnerIndex<PodSnapshot> _podsByNode = new();
    private readonly OwnerIndex<ReplicaSetSnapshot> _replicaSetsByDeployment = new();
    private readonly OperatorMetrics _metrics;

    public ClusterCache(IKubernetes client, string? namespaceName, OperatorMetrics metrics, ILogger<ClusterCache> logger)
    {
        _metrics = metrics;
        var scoped = !string.IsNullOrEmpty(namespaceName);
        var ns = namespaceName ?? "";
        _namespaces = new(
            "namespaces",
            (limit, next, ct) => client.CoreV1.ListNamespaceAsync(limit: limit, continueParameter: next, cancellationToken: ct),
            (rv, onError, ct) => client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct),
            Projections.Namespace,
            Projections.SameNamespace,
            logger,
            metrics);
        _nodes = new(
            "nodes",
            (limit, next, ct) => client.CoreV1.ListNodeAsync(limit: limit, continueParameter: next, cancellationToken: ct),
            (rv, onError, ct) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct),
            Projections.Node,
            Projections.SameNode,
            logger,
            metrics);
        _deployments = new(
            "deployments",
            (limit, next, ct) => scoped
                ? client.AppsV1.ListNamespacedDeploymentAsync(ns, limit: limit, continueParameter: next, cancellationToken: ct)
                : client.AppsV1.ListDeploymentForAllNamespacesAsync(limit: limit, continueParameter: next, cancellationToken: ct),
            (rv, onError, ct) => scoped
                ? client.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct),
            Projections.Deployment,
            Projections.SameDeployment,
            logger,
            metrics);
        _replicaSets = new(
            "replicasets",
            (limit, next, ct) => scoped
                ? client.AppsV1.ListNamespacedReplicaSetAsync(ns, limit: limit, continueParameter: next, cancellationToken: ct)
                : client.AppsV1.ListReplicaSetForAllNamespacesAsync(limit: limit, continueParameter: next, cancellationToken: ct),
            (rv, onError, ct) => scoped
                ? client.AppsV1.WatchListNamespacedReplicaSetAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct),
            Projections.ReplicaSet,
            Projections.SameReplicaSet,
            logger,
            metrics);
        _statefulSets = new(
            "statefulsets",
            (limit, next, ct) => scoped
                ? client.AppsV1.ListNamespacedStatefulSetAsync(ns, limit: limit, continueParameter: next, cancellationToken: ct)
                : client.AppsV1.ListStatefulSetForAllNamespacesAsync(limit: limit, continueParameter: next, cancellationToken: ct),
            (rv, onError, ct) => scoped
                ? client.AppsV1.WatchListNamespacedStatefulSetAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListStatefulSetForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct),
            Projections.StatefulSet,
            Projections.SameStatefulSet,
            logger,
            metrics);
        _pods = new(
            "pods",
            (limit, next, ct) => scoped
                ? client.CoreV1.ListNamespacedPodAsync(ns, limit: limit, continueParameter: next, cancellationToken: ct)
                : client.CoreV1.ListPodForAllNamespacesAsync(limit: limit, continueParameter: next, cancellationToken: ct),
            (rv, onError, ct) => scoped
                ? client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct),
            Projections.Pod,
            Projections.SamePod,
            logger,
            metrics);

        _budgets = new(
            "poddisruptionbudgets",
            (limit, next, ct) => scoped
                ? client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(ns, limit: limit, continueParameter: next, cancellationToken: ct)
                : client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(limit: limit, continueParameter: next, cancellationToken: ct),
            (rv, onError, ct) => scoped
                ? client.PolicyV1.WatchListNamespacedPodDisruptionBudgetAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct)
                : client.PolicyV1.WatchListPodDisruptionBudgetForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct),
            Projections.DisruptionBudget,
            Projections.SameDisruptionBudget,
            logger,
            metrics);

        _namespaces.Changed += OnNamespaceChanged;
        // A budget's status decides whether a workload of its namespace is BlockedByPdb: look at them again.
        _budgets.Changed += (_, old, now) => OnNamespaceChanged(now?.Namespace ?? old!.Namespace, null, null);
        _nodes.Changed += (_, _, _) => NodesChanged?.Invoke();
        _deployments.Changed += (_, old, now) => RaiseWorkload(WorkloadKinds.Deployment, now?.Namespace ?? old!.Namespace, now?.Name ?? old!.Name);
        _statefulSets.Changed += (_, old, now) => RaiseWorkload(WorkloadKinds.StatefulSet, now?.Namespace ?? old!.Namespace, now?.Name ?? old!.Name);
        _replicaSets.Changed += OnReplicaSetChanged;
        _pods.Changed += OnPodChanged;
    }

    /// <summary>A workload, one of its ReplicaSets or pods, or its namespace changed.</summary>
    public event Action<WorkloadRef>? WorkloadChanged;

    /// <inheritdoc />
    public event Action<PodSnapshot>? PodObserved;

    /// <summary>A node's labels, taints, schedulability or readiness changed (pods on it may change capacity type or leave).</summary>
    public event Action? NodesChanged;

    public bool IsSynced =>
        _namespaces.HasSynced && _nodes.HasSynced && _deployments.HasSynced && _replicaSets.HasSynced && _statefulSets.HasSynced && _pods.HasSynced && _budgets.HasSynced;

    /// <summary>Runs every informer until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var informers = new[]
        {
            _namespaces.RunAsync(cancellationToken), _nodes.RunAsync(cancellationToken), _deployments.RunAsync(cancellationToken),
            _replicaSets.RunAsync(cancellationToken), _statefulSets.RunAsync(cancellationToken), _pods.RunAsync(cancellationToken),
            _budgets.RunAsync(cancellationToken),
        };
        _ = MarkSyncedAsync(cancellationToken);
        return Task.WhenAll(informers);
    }

    /// <summary>Completes once every informer finished its first list.</summary>
    public async Task WaitForSyncAsync(CancellationToken cancellationToken)
    {
        while (!IsSynced)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    public WorkloadSnapshot? GetWorkload(WorkloadRef workload) => workload.Kind switch
    {
        WorkloadKinds.Deployment => _deployments.Get($"{workload.Namespace}/{workload.Name}") is { } d ? ToSnapshot(d) : null,
        WorkloadKinds.StatefulSet => _statefulSets.Get($"{workload.Namespace}/{workload.Name}") is { } s ? ToSnapshot(s) : null,
        _ => null,
    };

    public IReadOnlyList<WorkloadSnapshot> GetWorkloads() =>
        [.. _deployments.Values.Select(ToSnapshot), .. _statefulSets.Values.Select(ToSnapshot)];

    public WorkloadRef? ResolveOwner(string namespaceName, IReadOnlyList<OwnerRef> podOwners)
    {
        var owner = podOwners.FirstOrDefault(o => o.Controller) ?? (podOwners.Count == 1 ? podOwners[0] : null);
        switch (owner?.Kind)
        {
            case WorkloadKinds.StatefulSet:
                return _statefulSets.Get($"{namespaceName}/{owner.Name}") is not null ? new WorkloadRef(WorkloadKinds.StatefulSet, namespaceName, owner.Name) : null;
            case WorkloadKinds.ReplicaSet:
                var replicaSet = _replicaSets.Get($"{namespaceName}/{owner.Name}");
                return replicaSet?.Controller is { Kind: WorkloadKinds.Deployment } deployment && _deployments.Get($"{namespaceName}/{deployment.Name}") is not null
                    ? new WorkloadRef(WorkloadKinds.Deployment, namespaceName, deployment.Name)
                    : null;
            default:
                return null;
        }
    }

    public IReadOnlyList<PodSnapshot> GetPods(WorkloadRef workload)
    {
        if (workload.Kind == WorkloadKinds.StatefulSet)
        {
            return _podsByOwner.Get($"StatefulSet/{workload.Namespace}/{workload.Name}");
        }

        var pods = new List<PodSnapshot>();
        foreach (var replicaSet in _replicaSetsByDeployment.Get($"Deployment/{workload.Namespace}/{workload.Name}"))
        {
            pods.AddRange(_podsByOwner.Get($"ReplicaSet/{replicaSet.Namespace}/{replicaSet.Name}"));
        }

        return pods;
    }

    public NodeSnapshot? GetNode(string name) => _nodes.Get(name);

    public IReadOnlyList<PodSnapshot>? GetPodsOnNode(string nodeName) => _podsByNode.Get(nodeName);

    public IReadOnlyList<NodeSnapshot> GetNodes() => [.. _nodes.Values];

    public IReadOnlyDictionary<string, string>? GetNamespaceLabels(string namespaceName) => _namespaces.Get(namespaceName)?.Labels;

    public IReadOnlyList<Core.Disruption.DisruptionBudgetFacts> GetDisruptionBudgets(string namespaceName) =>
        [.. _budgets.Values.Where(b => b.Namespace == namespaceName)];

    private static int WatchTimeout() => 240 + Random.Shared.Next(120);

    private async Task MarkSyncedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WaitForSyncAsync(cancellationToken);
            _metrics.CacheSynced.Set(1);
        }
        catch (OperationCanceledException)
        {
            // Shutting down before the first sync.
        }
    }

    private WorkloadSnapshot ToSnapshot(DeploymentSnapshot deployment)
    {
        var reference = new WorkloadRef(WorkloadKinds.Deployment, deployment.Namespace, deployment.Name);
        var replicaSets = _replicaSetsByDeployment.Get($"Deployment/{deployment.Namespace}/{deployment.Name}");
        var currentRevision = RolloutProgress.CurrentReplicaSet(replicaSets, r => r.Revision, r => r.CreatedAt)?.TemplateHash;
        var oldPodsRunning = replicaSets
            .Where(r => RolloutProgress.IsOlderRevision(currentRevision, r.TemplateHash))
            .Any(r => _podsByOwner.Get($"ReplicaSet/{r.Namespace}/{r.Name}").Any(p => p.IsLive));
        return new WorkloadSnapshot(
            reference, deployment.Uid, deployment.Labels, deployment.Annotations, deployment.Replicas,
            deployment.Generation, deployment.ObservedGeneration, currentRevision,
            RolloutProgress.InProgress(oldPodsRunning, deployment.Generation, deployment.ObservedGeneration))
        {
            PodTemplateLabels = deployment.PodTemplateLabels,
        };
    }

    private WorkloadSnapshot ToSnapshot(StatefulSetSnapshot statefulSet)
    {
        var reference = new WorkloadRef(WorkloadKinds.StatefulSet, statefulSet.Namespace, statefulSet.Name);
        var revision = statefulSet.UpdateRevision;
        var oldPodsRunning = _podsByOwner.Get($"StatefulSet/{statefulSet.Namespace}/{statefulSet.Name}")
            .Any(p => p.IsLive && RolloutProgress.IsOlderRevision(revision, p.Revision));
        return new WorkloadSnapshot(
            reference, statefulSet.Uid, statefulSet.Labels, statefulSet.Annotations, statefulSet.Replicas,
            statefulSet.Generation, statefulSet.ObservedGeneration, revision,
            RolloutProgress.InProgress(oldPodsRunning, statefulSet.Generation, statefulSet.ObservedGeneration))
        {
            PodTemplateLabels = statefulSet.PodTemplateLabels,
        };
    }

    private void RaiseWorkload(string kind, string namespaceName, string name) =>
        WorkloadChanged?.Invoke(new WorkloadRef(kind, namespaceName, name));

    private void OnNamespaceChanged(string key, NamespaceSnapshot? old, NamespaceSnapshot? now)
    {
        foreach (var deployment in _deployments.Values.Where(d => d.Namespace == key))
        {
            RaiseWorkload(WorkloadKinds.Deployment, deployment.Namespace, deployment.Name);
        }

        foreach (var statefulSet in _statefulSets.Values.Where(s => s.Namespace == key))
        {
            RaiseWorkload(WorkloadKinds.StatefulSet, statefulSet.Namespace, statefulSet.Name);
        }
    }

    private void OnReplicaSetChanged(string key, ReplicaSetSnapshot? old, ReplicaSetSnapshot? now)
    {
        if (old?.Controller is { Kind: WorkloadKinds.Deployment } oldOwner)
        {
            _replicaSetsByDeployment.Remove($"Deployment/{old.Namespace}/{oldOwner.Name}", old.Name);
        }

        if (now?.Controller is { Kind: WorkloadKinds.Deployment } owner)
        {
            _replicaSetsByDeployment.Set($"Deployment/{now.Namespace}/{owner.Name}", now.Name, now);
            RaiseWorkload(WorkloadKinds.Deployment, now.Namespace, owner.Name);
        }
        else if (old?.Controller is { Kind: WorkloadKinds.Deployment } formerOwner)
        {
            RaiseWorkload(WorkloadKinds.Deployment, old.Namespace, formerOwner.Name);
        }
    }

    private void OnPodChanged(string key, PodSnapshot? old, PodSnapshot? now)
    {
        if (old is not null && OwnerKey(old) is { } oldKey)
        {
            _podsByOwner.Remove(oldKey, old.Name);
        }

        if (old?.NodeName is { Length: > 0 } oldNode)
        {
            _podsByNode.Remove(oldNode, old.Namespace + "/" + old.Name);
        }

        var pod = now ?? old!;
        if (now is not null && OwnerKey(now) is { } newKey)
        {
            _podsByOwner.Set(newKey, now.Name, now);
        }

        if (now?.NodeName is { Length: > 0 } newNode)
        {
            _podsByNode.Set(newNode, now.Namespace + "/" + now.Name, now);
        }

        var workload = ResolveOwner(pod.Namespace, pod.Owners);

        // An admission stops counting once its pod counts in the workload's pods. A pod whose ReplicaSet the cache has
        // not seen yet (separate watches, no order between them) is not among them: ending its admission now would
        // count the pod nowhere. Its admission ends when the workload's pods first show it (the webhook's count).
        if (now is null || workload is not null)
        {
            PodObserved?.Invoke(pod);
        }

        if (workload is not null)
        {
            WorkloadChanged?.Invoke(workload);
        }
    }

    private static string? OwnerKey(PodSnapshot pod)
    {
        var owner = pod.Owners.FirstOrDefault(o => o.Controller);
        return owner is { Kind: WorkloadKinds.ReplicaSet or WorkloadKinds.StatefulSet } ? $"{owner.Kind}/{pod.Namespace}/{owner.Name}" : null;
    }
}
