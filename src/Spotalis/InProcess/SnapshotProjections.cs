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
        var generation = deployment.Metadata.Generation ?? 0;
        var observed = deployment.Status?.ObservedGeneration ?? 0;
        return new WorkloadSnapshot(
            new WorkloadRef(WorkloadKinds.Deployment, deployment.Metadata.NamespaceProperty, deployment.Metadata.Name),
            deployment.Metadata.Uid ?? string.Empty,
            Projections.SpotalisEntries(deployment.Metadata.Labels),
            Projections.SpotalisEntries(deployment.Metadata.Annotations),
            deployment.Spec?.Replicas ?? 1,
            generation,
            observed,
            current,
            RolloutProgress.InProgress(oldRunning, generation, observed))
        {
            PodTemplateLabels = Projections.TemplateLabels(deployment.Spec?.Template),
        };
    }

    /// <summary>A StatefulSet; a rollout is in progress while pods of another revision still run.</summary>
    public static WorkloadSnapshot StatefulSet(V1StatefulSet statefulSet, IReadOnlyList<PodSnapshot> pods)
    {
        ArgumentNullException.ThrowIfNull(statefulSet);
        ArgumentNullException.ThrowIfNull(pods);
        var revision = statefulSet.Status?.UpdateRevision;
        var oldRunning = pods.Any(p => p.IsLive && RolloutProgress.IsOlderRevision(revision, p.Revision));
        var generation = statefulSet.Metadata.Generation ?? 0;
        var observed = statefulSet.Status?.ObservedGeneration ?? 0;
        return new WorkloadSnapshot(
            new WorkloadRef(WorkloadKinds.StatefulSet, statefulSet.Metadata.NamespaceProperty, statefulSet.Metadata.Name),
            statefulSet.Metadata.Uid ?? string.Empty,
            Projections.SpotalisEntries(statefulSet.Metadata.Labels),
            Projections.SpotalisEntries(statefulSet.Metadata.Annotations),
            statefulSet.Spec?.Replicas ?? 1,
            generation,
            observed,
            revision,
            RolloutProgress.InProgress(oldRunning, generation, observed))
        {
            PodTemplateLabels = Projections.TemplateLabels(statefulSet.Spec?.Template),
        };
    }
}
