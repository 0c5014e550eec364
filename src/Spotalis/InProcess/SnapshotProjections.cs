using System.Globalization;
using k8s.Models;
using Spotalis.Core;
using Spotalis.Operator.Cache;

namespace Spotalis.Cli.InProcess;

/// <summary>
/// Turns API objects into the operator's slim snapshots, with the same rules as the operator's watch cache
/// (only <c>spotalis.io/*</c> labels and annotations on workloads and pods; StatefulSet ordinals from names;
/// unschedulable-since from the PodScheduled condition), for views built without a watch.
/// </summary>
public static class SnapshotProjections
{
    private const string PodTemplateHashLabel = "pod-template-hash";
    private const string ControllerRevisionHashLabel = "controller-revision-hash";
    private const string DeploymentRevisionAnnotation = "deployment.kubernetes.io/revision";

    public static NodeSnapshot Node(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new NodeSnapshot(
            node.Metadata.Name,
            Copy(node.Metadata.Labels, keepAll: true),
            node.Spec?.Taints?.Select(t => new NodeTaintSnapshot(t.Key, t.Value, t.Effect ?? string.Empty)).ToArray() ?? [],
            node.Spec?.Unschedulable ?? false,
            node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false);
    }

    public static PodSnapshot Pod(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var metadata = pod.Metadata;
        var labels = metadata.Labels;
        var annotations = metadata.Annotations;
        var owners = metadata.OwnerReferences?.Select(o => new OwnerRef(o.Kind, o.Name, o.Uid ?? string.Empty, o.Controller ?? false)).ToArray() ?? [];
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        DateTimeOffset? unschedulableSince = scheduled is { Status: "False", Reason: "Unschedulable" }
            ? ToOffset(scheduled.LastTransitionTime ?? metadata.CreationTimestamp)
            : null;
        var owner = owners.FirstOrDefault(o => o.Controller) ?? owners.FirstOrDefault();
        return new PodSnapshot(
            metadata.NamespaceProperty,
            metadata.Name,
            metadata.Uid ?? string.Empty,
            owners,
            pod.Spec?.NodeName,
            pod.Status?.Phase ?? "Pending",
            pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false,
            metadata.DeletionTimestamp is not null,
            ToOffset(metadata.CreationTimestamp),
            Value(labels, PodTemplateHashLabel) ?? Value(labels, ControllerRevisionHashLabel),
            Value(labels, SpotalisKeys.CapacityType),
            Value(annotations, SpotalisKeys.DoNotDisrupt) == "true",
            Value(annotations, SpotalisKeys.PodDeletionCost) is { } cost && int.TryParse(cost, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
            unschedulableSince,
            owner?.Kind == "StatefulSet" ? OrdinalOf(metadata.Name, owner.Name) : null,
            Copy(labels, keepAll: false))
        {
            IsFallback = Value(annotations, SpotalisKeys.Fallback) == "true",
        };
    }

    /// <summary>A Deployment with the revision of its newest ReplicaSet; a rollout is in progress while older ReplicaSets still run pods.</summary>
    public static WorkloadSnapshot Deployment(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> ownedReplicaSets, Func<V1ReplicaSet, bool> hasLivePods)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(ownedReplicaSets);
        ArgumentNullException.ThrowIfNull(hasLivePods);
        var newest = ownedReplicaSets.OrderByDescending(Revision).ThenByDescending(r => r.Metadata.CreationTimestamp).FirstOrDefault();
        var current = newest is null ? null : Value(newest.Metadata.Labels, PodTemplateHashLabel);
        var oldRunning = current is not null && ownedReplicaSets.Where(r => Value(r.Metadata.Labels, PodTemplateHashLabel) != current).Any(hasLivePods);
        var generation = deployment.Metadata.Generation ?? 0;
        var observed = deployment.Status?.ObservedGeneration ?? 0;
        return new WorkloadSnapshot(
            new WorkloadRef("Deployment", deployment.Metadata.NamespaceProperty, deployment.Metadata.Name),
            deployment.Metadata.Uid ?? string.Empty,
            Copy(deployment.Metadata.Labels, keepAll: false),
            Copy(deployment.Metadata.Annotations, keepAll: false),
            deployment.Spec?.Replicas ?? 1,
            generation,
            observed,
            current,
            oldRunning || (observed > 0 && generation > observed));
    }

    /// <summary>A StatefulSet; a rollout is in progress while pods of another revision still run.</summary>
    public static WorkloadSnapshot StatefulSet(V1StatefulSet statefulSet, IReadOnlyList<PodSnapshot> pods)
    {
        ArgumentNullException.ThrowIfNull(statefulSet);
        ArgumentNullException.ThrowIfNull(pods);
        var revision = statefulSet.Status?.UpdateRevision;
        var oldRunning = revision is not null && pods.Any(p => !p.Terminating && p.Revision is not null && p.Revision != revision && p.Phase is not ("Succeeded" or "Failed"));
        var generation = statefulSet.Metadata.Generation ?? 0;
        var observed = statefulSet.Status?.ObservedGeneration ?? 0;
        return new WorkloadSnapshot(
            new WorkloadRef("StatefulSet", statefulSet.Metadata.NamespaceProperty, statefulSet.Metadata.Name),
            statefulSet.Metadata.Uid ?? string.Empty,
            Copy(statefulSet.Metadata.Labels, keepAll: false),
            Copy(statefulSet.Metadata.Annotations, keepAll: false),
            statefulSet.Spec?.Replicas ?? 1,
            generation,
            observed,
            revision,
            oldRunning || (observed > 0 && generation > observed));
    }

    public static IReadOnlyDictionary<string, string> NamespaceLabels(V1Namespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return Copy(ns.Metadata.Labels, keepAll: true);
    }

    private static long Revision(V1ReplicaSet replicaSet) =>
        Value(replicaSet.Metadata.Annotations, DeploymentRevisionAnnotation) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    private static int? OrdinalOf(string podName, string ownerName) =>
        podName.Length > ownerName.Length + 1 && podName.StartsWith(ownerName + "-", StringComparison.Ordinal) &&
        int.TryParse(podName.AsSpan(ownerName.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            ? ordinal
            : null;

    private static string? Value(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;

    private static Dictionary<string, string> Copy(IDictionary<string, string>? source, bool keepAll)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in source ?? new Dictionary<string, string>())
        {
            if (keepAll || key.StartsWith(SpotalisKeys.Prefix, StringComparison.Ordinal))
            {
                copy[key] = value ?? string.Empty;
            }
        }

        return copy;
    }

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
}
