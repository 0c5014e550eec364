using Spotalis.Core.Workloads;
using Spotalis.Operator.Cache;
using k8s.Models;

namespace Spotalis.InProcess;

/// <summary>
/// Builds workload snapshots for views that hold whole API objects instead of a watch cache (the operator's cache
/// tracks the same facts incrementally). Pods, nodes and namespaces go through the cache's own
/// <see cref="Projections"/>, so both views apply one set of rules.
/// </summary>
public static class SnapshotProjections
{
    /// <summary>A Deployment with the revision of its newest ReplicaSet; a rollout is in progress while older ReplicaSets still run pods.</summary>
    public static WorkloadSnapshot Deployment(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> ownedReplicaSets, Func<V1ReplicaSet, bool> hasLivePods)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(ownedReplicaSets);
        ArgumentNullException.ThrowIfNull(hasLivePods);
        var newest = RolloutProgress.CurrentReplicaSet(ownedReplicaSets, Projections.DeploymentRevision, r => r.Metadata.CreationTimestamp);
        var current = newest is null ? null : Projections.TemplateHash(newest);
        var oldRunning = ownedReplicaSets.Where(r => RolloutProgress.IsOlderRevision(current, Projections.TemplateHash(r))).Any(hasLivePods);
        return Workload(WorkloadKinds.Deployment, deployment.Metadata, deployment.Spec?.Replicas, deployment.Status?.ObservedGeneration, current, oldRunning, deployment.Spec?.Template);
    }

    /// <summary>A StatefulSet; a rollout is in progress while pods of another revision still run.</summary>
    public static WorkloadSnapshot StatefulSet(V1StatefulSet statefulSet, IReadOnlyList<PodSnapshot> pods)
    {
        ArgumentNullException.ThrowIfNull(statefulSet);
        ArgumentNullException.ThrowIfNull(pods);
        var revision = statefulSet.Status?.UpdateRevision;
        var oldRunning = pods.Any(p => p.IsLive && RolloutProgress.IsOlderRevision(revision, p.Revision));
        return Workload(WorkloadKinds.StatefulSet, statefulSet.Metadata, statefulSet.Spec?.Replicas, statefulSet.Status?.ObservedGeneration, revision, oldRunning, statefulSet.Spec?.Template);
    }

    /// <summary>The snapshot fields every workload kind fills alike; the kinds differ only in how they find the current revision.</summary>
    private static WorkloadSnapshot Workload(string kind, V1ObjectMeta metadata, int? replicas, long? observedGeneration, string? revision, bool oldRevisionRunning, V1PodTemplateSpec? template)
    {
        var generation = metadata.Generation ?? 0;
        var observed = observedGeneration ?? 0;
        return new WorkloadSnapshot(
            new WorkloadRef(kind, metadata.NamespaceProperty, metadata.Name),
            metadata.Uid ?? string.Empty,
            Projections.SpotalisEntries(metadata.Labels),
            Projections.SpotalisEntries(metadata.Annotations),
            replicas ?? 1,
            generation,
            observed,
            revision,
            RolloutProgress.InProgress(oldRevisionRunning, generation, observed))
        {
            PodTemplateLabels = Projections.TemplateLabels(template),
        };
    }
}
