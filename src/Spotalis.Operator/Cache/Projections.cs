using System.Collections.Concurrent;
using System.Globalization;
using Spotalis.Core.Capacity;
using Spotalis.Core.Disruption;
using Spotalis.Core.Fallback;
using Spotalis.Core.Nodes;
using Spotalis.Core.Workloads;
using k8s.Models;

namespace Spotalis.Operator.Cache;

/// <summary>
/// Turns API objects into the slim records the cache keeps. Only the fields the operator decides from survive;
/// repeated strings (namespaces, node names, hashes) are interned so 50,000 pods stay small. The public members are
/// the same rules for views built without a watch (the CLI's in-process cluster view).
/// </summary>
public static class Projections
{
    private const string PodTemplateHashLabel = "pod-template-hash";
    private const string ControllerRevisionHashLabel = "controller-revision-hash";
    private const string DeploymentRevisionAnnotation = "deployment.kubernetes.io/revision";

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
    private static readonly ConcurrentDictionary<string, string> Interned = new(StringComparer.Ordinal);

    internal static NamespaceSnapshot Namespace(V1Namespace item) =>
        new(Intern(item.Metadata.Name), NamespaceLabels(item));

    /// <summary>Every label of a namespace (opt-in and <c>namespaceSelector</c> read them).</summary>
    public static IReadOnlyDictionary<string, string> NamespaceLabels(V1Namespace item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Copy(item.Metadata.Labels, keepAll: true);
    }

    /// <summary>Only the <c>spotalis.io/*</c> entries of a workload's labels or annotations.</summary>
    public static IReadOnlyDictionary<string, string> SpotalisEntries(IDictionary<string, string>? labelsOrAnnotations) =>
        Copy(labelsOrAnnotations, keepAll: false);

    /// <summary>Every label of a pod template: PodDisruptionBudget selectors match the workload's pods by them.</summary>
    public static IReadOnlyDictionary<string, string> TemplateLabels(V1PodTemplateSpec? template) =>
        Copy(template?.Metadata?.Labels, keepAll: true);

    /// <summary>The <c>deployment.kubernetes.io/revision</c> of a ReplicaSet (0 when absent).</summary>
    public static long DeploymentRevision(V1ReplicaSet item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Metadata.Annotations?.TryGetValue(DeploymentRevisionAnnotation, out var text) == true &&
               long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : 0;
    }

    /// <summary>The <c>pod-template-hash</c> label of a ReplicaSet, which names its Deployment revision in pod labels.</summary>
    public static string? TemplateHash(V1ReplicaSet item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return InternOrNull(Value(item.Metadata.Labels, PodTemplateHashLabel));
    }

    public static NodeSnapshot Node(V1Node item) =>
        new(
            Intern(item.Metadata.Name),
            Copy(item.Metadata.Labels, keepAll: true),
            item.Spec?.Taints?.Select(t => new NodeTaintSnapshot(Intern(t.Key), t.Value is null ? null : Intern(t.Value), Intern(t.Effect ?? ""))).ToArray() ?? [],
            item.Spec?.Unschedulable ?? false,
            item.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false)
        {
            AllocatablePods = (item.Status?.Allocatable ?? item.Status?.Capacity) is { } resources && resources.TryGetValue("pods", out var pods)
                ? (int)Math.Min(int.MaxValue, pods.ToInt64())
                : null,
        };

    internal static DeploymentSnapshot Deployment(V1Deployment item) =>
        new(
            Intern(item.Metadata.NamespaceProperty),
            item.Metadata.Name,
            item.Metadata.Uid ?? "",
            Copy(item.Metadata.Labels, keepAll: false),
            Copy(item.Metadata.Annotations, keepAll: false),
            item.Spec?.Replicas ?? 1,
            item.Metadata.Generation ?? 0,
            item.Status?.ObservedGeneration ?? 0,
            TemplateLabels(item.Spec?.Template));

    internal static StatefulSetSnapshot StatefulSet(V1StatefulSet item) =>
        new(
            Intern(item.Metadata.NamespaceProperty),
            item.Metadata.Name,
            item.Metadata.Uid ?? "",
            Copy(item.Metadata.Labels, keepAll: false),
            Copy(item.Metadata.Annotations, keepAll: false),
            item.Spec?.Replicas ?? 1,
            item.Metadata.Generation ?? 0,
            item.Status?.ObservedGeneration ?? 0,
            InternOrNull(item.Status?.CurrentRevision),
            InternOrNull(item.Status?.UpdateRevision),
            TemplateLabels(item.Spec?.Template));

    internal static ReplicaSetSnapshot ReplicaSet(V1ReplicaSet item) =>
        new(
            Intern(item.Metadata.NamespaceProperty),
            item.Metadata.Name,
            item.Metadata.Uid ?? "",
            ControllerOf(item.Metadata.OwnerReferences),
            TemplateHash(item),
            DeploymentRevision(item),
            ToOffset(item.Metadata.CreationTimestamp));

    public static PodSnapshot Pod(V1Pod item)
    {
        var metadata = item.Metadata;
        var labels = metadata.Labels;
        var annotations = metadata.Annotations;
        var owners = metadata.OwnerReferences?.Select(o => new OwnerRef(Intern(o.Kind), Intern(o.Name), o.Uid ?? "", o.Controller ?? false)).ToArray()
                     ?? [];
        var revision = Value(labels, PodTemplateHashLabel) ?? Value(labels, ControllerRevisionHashLabel);
        var conditions = item.Status?.Conditions;
        var scheduled = conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        var unschedulableSince = scheduled is { Status: "False", Reason: "Unschedulable" }
            ? ToOffset(scheduled.LastTransitionTime ?? metadata.CreationTimestamp)
            : (DateTimeOffset?)null;
        var owner = owners.FirstOrDefault(o => o.Controller) ?? owners.FirstOrDefault();
        return new PodSnapshot(
            Intern(metadata.NamespaceProperty),
            metadata.Name,
            metadata.Uid ?? "",
            owners,
            InternOrNull(item.Spec?.NodeName),
            Intern(item.Status?.Phase ?? "Pending"),
            conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false,
            metadata.DeletionTimestamp is not null,
            ToOffset(metadata.CreationTimestamp),
            InternOrNull(revision),
            InternOrNull(Value(labels, SpotalisKeys.CapacityType)),
            Value(annotations, SpotalisKeys.DoNotDisrupt) == "true",
            annotations?.TryGetValue(SpotalisKeys.PodDeletionCost, out var cost) == true &&
            int.TryParse(cost, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsedCost)
                ? parsedCost
                : null,
            unschedulableSince,
            owner?.Kind == WorkloadKinds.StatefulSet ? OrdinalOf(metadata.Name, owner.Name) : null,
            Copy(labels, keepAll: false))
        {
            IsFallback = Value(annotations, SpotalisKeys.Fallback) == "true",
            AdmissionId = Value(annotations, SpotalisKeys.AdmissionId),
            FallbackSince = FallbackMark.Parse(Value(annotations, SpotalisKeys.FallbackSince)),
        };
    }

    internal static bool SameNode(NodeSnapshot a, NodeSnapshot b) =>
        a.Name == b.Name && a.Unschedulable == b.Unschedulable && a.Ready == b.Ready && a.AllocatablePods == b.AllocatablePods &&
        SameMap(a.Labels, b.Labels) && a.Taints.SequenceEqual(b.Taints);

    internal static bool SameNamespace(NamespaceSnapshot a, NamespaceSnapshot b) => SameMap(a.Labels, b.Labels);

    internal static bool SameDeployment(DeploymentSnapshot a, DeploymentSnapshot b) =>
        a with { Labels = Empty, Annotations = Empty, PodTemplateLabels = Empty } == b with { Labels = Empty, Annotations = Empty, PodTemplateLabels = Empty } &&
        SameMap(a.Labels, b.Labels) && SameMap(a.Annotations, b.Annotations) && SameMap(a.PodTemplateLabels, b.PodTemplateLabels);

    internal static bool SameStatefulSet(StatefulSetSnapshot a, StatefulSetSnapshot b) =>
        a with { Labels = Empty, Annotations = Empty, PodTemplateLabels = Empty } == b with { Labels = Empty, Annotations = Empty, PodTemplateLabels = Empty } &&
        SameMap(a.Labels, b.Labels) && SameMap(a.Annotations, b.Annotations) && SameMap(a.PodTemplateLabels, b.PodTemplateLabels);

    /// <summary>A PodDisruptionBudget's selector and status; a budget whose status is not yet written allows nothing.</summary>
    public static DisruptionBudgetFacts DisruptionBudget(V1PodDisruptionBudget item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var selector = item.Spec?.Selector;
        IReadOnlyList<LabelSelectorRequirement>? requirements = selector is null
            ? null
            : [
                .. (selector.MatchLabels ?? new Dictionary<string, string>()).Select(p => LabelSelectorRequirement.KeyIn(Intern(p.Key), Intern(p.Value))),
                .. (selector.MatchExpressions ?? []).Select(e => new LabelSelectorRequirement(Intern(e.Key), Intern(e.OperatorProperty), [.. (e.Values ?? []).Select(Intern)])),
            ];
        var status = item.Status;
        return new DisruptionBudgetFacts(
            Intern(item.Metadata.NamespaceProperty),
            item.Metadata.Name,
            requirements,
            status?.DisruptionsAllowed ?? 0,
            status?.CurrentHealthy ?? 0,
            status?.DesiredHealthy ?? 0,
            item.Spec?.UnhealthyPodEvictionPolicy == "AlwaysAllow");
    }

    internal static bool SameDisruptionBudget(DisruptionBudgetFacts a, DisruptionBudgetFacts b) =>
        a with { Selector = null } == b with { Selector = null } &&
        (a.Selector is null ? b.Selector is null : b.Selector is not null && a.Selector.Count == b.Selector.Count &&
            a.Selector.Zip(b.Selector).All(p => p.First.Key == p.Second.Key && p.First.Operator == p.Second.Operator && p.First.Values.SequenceEqual(p.Second.Values)));

    internal static bool SameReplicaSet(ReplicaSetSnapshot a, ReplicaSetSnapshot b) => a == b;

    internal static bool SamePod(PodSnapshot a, PodSnapshot b) =>
        a with { Owners = [], Labels = Empty } == b with { Owners = [], Labels = Empty } &&
        a.Owners.SequenceEqual(b.Owners) && SameMap(a.Labels, b.Labels);

    private static string? Value(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);

    private static OwnerRef? ControllerOf(IList<V1OwnerReference>? owners) =>
        owners?.Where(o => o.Controller == true).Select(o => new OwnerRef(Intern(o.Kind), Intern(o.Name), o.Uid ?? "", true)).FirstOrDefault();

    private static int? OrdinalOf(string podName, string ownerName) =>
        podName.Length > ownerName.Length + 1 && podName.StartsWith(ownerName + "-", StringComparison.Ordinal) &&
        int.TryParse(podName.AsSpan(ownerName.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            ? ordinal
            : null;

    /// <summary>Keeps every entry (namespaces, nodes) or only the <c>spotalis.io/*</c> ones (workloads, pods).</summary>
    private static IReadOnlyDictionary<string, string> Copy(IDictionary<string, string>? source, bool keepAll)
    {
        if (source is null || source.Count == 0)
        {
            return Empty;
        }

        Dictionary<string, string>? copy = null;
        foreach (var (key, value) in source)
        {
            if (keepAll || key.StartsWith(SpotalisKeys.Prefix, StringComparison.Ordinal))
            {
                copy ??= new Dictionary<string, string>(StringComparer.Ordinal);
                copy[Intern(key)] = Intern(value ?? "");
            }
        }

        return copy ?? Empty;
    }

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : DateTimeOffset.MinValue;

    private static string Intern(string? value) => value is null ? "" : Interned.GetOrAdd(value, value);

    private static string? InternOrNull(string? value) => value is null ? null : Intern(value);
}
