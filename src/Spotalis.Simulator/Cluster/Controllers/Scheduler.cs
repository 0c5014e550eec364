using System.Globalization;
using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Matching;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// The default scheduler, reduced to what placement decisions depend on: filters (cordon, nodeName, taints,
/// nodeSelector and required node affinity, cpu/memory/pod-count against allocatable) and weighted scores
/// (preferred node affinity x2, PreferNoSchedule taints x3, spreading replicas of one owner x2, least allocated
/// and balanced allocation x1). Binds by setting <c>spec.nodeName</c> and <c>PodScheduled=True</c>; when nothing
/// fits, sets <c>PodScheduled=False</c>, reason Unschedulable, with the real message format. Unschedulable pods
/// are retried whenever nodes change or capacity is freed.
/// </summary>
internal sealed class Scheduler(ControllerContext context) : ClusterController(context)
{
    public const string DefaultSchedulerName = "default-scheduler";
    private const string RetryAllKey = "*retry-unschedulable";

    public override string Name => DefaultSchedulerName;

    public override void OnChange(ClusterChangeType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? previous)
    {
        switch (obj)
        {
            case V1Pod pod:
                var bound = !string.IsNullOrEmpty(pod.Spec?.NodeName);
                if (type == ClusterChangeType.Added && !bound)
                {
                    MarkDirty(ObjectKey.Of(pod.Metadata.NamespaceProperty, pod.Metadata.Name));
                }
                else if (bound && (type == ClusterChangeType.Deleted
                    || (PodFacts.IsFinished(pod) && previous is V1Pod before && !PodFacts.IsFinished(before))))
                {
                    // Capacity was freed.
                    MarkDirty(RetryAllKey);
                }

                break;
            case V1Node node:
                if (type != ClusterChangeType.Modified || previous is not V1Node old || SchedulingRelevantChange(old, node))
                {
                    MarkDirty(RetryAllKey);
                }

                break;
        }
    }

    protected override Task ReconcileAsync(string key, CancellationToken cancellationToken) =>
        ReconcileBatchAsync([key], cancellationToken);

    protected override async Task ReconcileBatchAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        List<PodEntry> candidates;
        if (keys.Contains(RetryAllKey))
        {
            candidates = Context.State.UnboundPods();
        }
        else
        {
            candidates = [.. keys.Select(Context.State.GetPod).OfType<PodEntry>()];
        }

        candidates = [.. candidates
            .Where(IsOurs)
            .OrderByDescending(p => p.Pod.Spec.Priority ?? 0)
            .ThenBy(p => p.Pod.Metadata.CreationTimestamp)
            .ThenBy(p => p.Key, StringComparer.Ordinal)];
        if (candidates.Count == 0)
        {
            return;
        }

        var snapshot = new SchedulingSnapshot(Context.State);
        foreach (var candidate in candidates)
        {
            await ReconcileGuardedAsync(candidate.Key, (_, _) =>
            {
                ScheduleOne(candidate, snapshot);
                return Task.CompletedTask;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsOurs(PodEntry entry)
    {
        var pod = entry.Pod;
        return entry.NodeName is null && !PodFacts.IsTerminating(pod) && !PodFacts.IsFinished(pod)
            && (string.IsNullOrEmpty(pod.Spec?.SchedulerName) || pod.Spec.SchedulerName == DefaultSchedulerName)
            && pod.Spec?.SchedulingGates is not { Count: > 0 };
    }

    private void ScheduleOne(PodEntry entry, SchedulingSnapshot snapshot)
    {
        var spec = entry.Pod.Spec;
        var feasible = new List<V1Node>();
        var histogram = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in snapshot.Nodes)
        {
            var reasons = NodeFit.Reasons(spec, entry.Requests, node, snapshot.Used(node.Metadata.Name));
            if (reasons.Count == 0)
            {
                feasible.Add(node);
                continue;
            }

            foreach (var reason in reasons)
            {
                histogram[reason] = histogram.GetValueOrDefault(reason) + 1;
            }
        }

        if (feasible.Count == 0)
        {
            MarkUnschedulable(entry.Pod, UnschedulableMessage(snapshot.Nodes.Count, histogram));
            return;
        }

        var best = PickBest(entry, feasible, snapshot);
        var now = Context.Now;
        var bound = Context.Api.Mutate<V1Pod>(entry.Pod.Metadata.NamespaceProperty, entry.Pod.Metadata.Name, pod =>
        {
            if (!string.IsNullOrEmpty(pod.Spec.NodeName) || pod.Metadata.DeletionTimestamp is not null)
            {
                return false;
            }

            pod.Spec.NodeName = best.Metadata.Name;
            pod.Status ??= new V1PodStatus();
            pod.Status.Phase ??= PodFacts.Pending;
            SetPodScheduled(pod.Status, "True", null, null, now);
            return true;
        });
        if (bound?.Spec?.NodeName == best.Metadata.Name)
        {
            snapshot.Place(entry, best.Metadata.Name);
        }
    }

    private static V1Node PickBest(PodEntry entry, List<V1Node> feasible, SchedulingSnapshot snapshot)
    {
        var spec = entry.Pod.Spec;
        var affinity = feasible.Select(n => NodeSelectorMatcher.PreferredWeight(spec, n)).ToArray();
        var taints = feasible.Select(n => NodeFit.IntolerablePreferNoScheduleTaints(spec, n)).ToArray();
        var siblings = feasible.Select(n => snapshot.Siblings(entry.ControllerUid, n.Metadata.Name)).ToArray();
        double maxAffinity = affinity.Max(), maxTaints = taints.Max(), maxSiblings = siblings.Max();
        var bestIndex = 0;
        var bestScore = double.MinValue;
        for (var i = 0; i < feasible.Count; i++)
        {
            var node = feasible[i];
            var allocatable = ResourceAmounts.Allocatable(node);
            var after = snapshot.Used(node.Metadata.Name) + entry.Requests;
            var cpuFraction = allocatable.CpuMillis > 0 ? Math.Min(1.0, (double)after.CpuMillis / allocatable.CpuMillis) : 1.0;
            var memoryFraction = allocatable.MemoryBytes > 0 ? Math.Min(1.0, (double)after.MemoryBytes / allocatable.MemoryBytes) : 1.0;
            var score =
                (2 * (maxAffinity > 0 ? 100 * affinity[i] / maxAffinity : 0))
                + (3 * (maxTaints > 0 ? 100 - (100 * taints[i] / maxTaints) : 100))
                + (2 * (maxSiblings > 0 ? 100 * (maxSiblings - siblings[i]) / maxSiblings : 100))
                + (100 * (1 - ((cpuFraction + memoryFraction) / 2)))
                + (100 * (1 - Math.Abs(cpuFraction - memoryFraction)));
            if (score > bestScore + 1e-9)
            {
                bestScore = score;
                bestIndex = i;
            }
        }

        return feasible[bestIndex];
    }

    private void MarkUnschedulable(V1Pod pod, string message)
    {
        var existing = PodFacts.FindCondition(pod, "PodScheduled");
        if (existing is { Status: "False", Reason: "Unschedulable" } && existing.Message == message)
        {
            return;
        }

        var now = Context.Now;
        Context.Api.Mutate<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, p =>
        {
            if (!string.IsNullOrEmpty(p.Spec.NodeName))
            {
                return false;
            }

            p.Status ??= new V1PodStatus();
            p.Status.Phase ??= PodFacts.Pending;
            SetPodScheduled(p.Status, "False", "Unschedulable", message, now);
            return true;
        });
    }

    private static void SetPodScheduled(V1PodStatus status, string value, string? reason, string? message, DateTime now)
    {
        status.Conditions ??= [];
        var condition = status.Conditions.FirstOrDefault(c => c.Type == "PodScheduled");
        if (condition is null)
        {
            condition = new V1PodCondition { Type = "PodScheduled" };
            status.Conditions.Add(condition);
        }

        if (condition.Status != value)
        {
            condition.LastTransitionTime = now;
        }

        condition.Status = value;
        condition.Reason = reason;
        condition.Message = message;
        condition.LastProbeTime = null;
    }

    /// <summary>"0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}. preemption: ..."</summary>
    internal static string UnschedulableMessage(int nodeCount, IReadOnlyDictionary<string, int> histogram)
    {
        if (nodeCount == 0)
        {
            return "no nodes available to schedule pods";
        }

        var parts = histogram.Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Value} {h.Key}")).Order(StringComparer.Ordinal);
        return string.Create(CultureInfo.InvariantCulture,
            $"0/{nodeCount} nodes are available: {string.Join(", ", parts)}. preemption: 0/{nodeCount} nodes are available: {nodeCount} Preemption is not helpful for scheduling.");
    }

    private static bool SchedulingRelevantChange(V1Node before, V1Node after) =>
        before.Spec?.Unschedulable != after.Spec?.Unschedulable
        || !SameTaints(before.Spec?.Taints, after.Spec?.Taints)
        || NodeFit.IsReady(before) != NodeFit.IsReady(after)
        || ResourceAmounts.Allocatable(before) != ResourceAmounts.Allocatable(after)
        || !SameLabels(before.Metadata.Labels, after.Metadata.Labels);

    private static bool SameTaints(IList<V1Taint>? a, IList<V1Taint>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a is null || a.All(t => b!.Any(u => u.Key == t.Key && u.Value == t.Value && u.Effect == t.Effect)));

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a is null || a.All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value));

    /// <summary>Nodes, their used resources and per-owner pod counts for one scheduling batch, updated as pods are placed.</summary>
    private sealed class SchedulingSnapshot
    {
        private readonly ClusterState _state;
        private readonly Dictionary<string, ResourceAmounts> _used = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<string, int>> _siblingsByOwner = new(StringComparer.Ordinal);

        public SchedulingSnapshot(ClusterState state)
        {
            _state = state;
            Nodes = [.. state.Nodes().Where(n => n.Metadata.DeletionTimestamp is null).OrderBy(n => n.Metadata.Name, StringComparer.Ordinal)];
            foreach (var node in Nodes)
            {
                _used[node.Metadata.Name] = state.NodeUsage(node.Metadata.Name);
            }
        }

        public List<V1Node> Nodes { get; }

        public ResourceAmounts Used(string nodeName) => _used.GetValueOrDefault(nodeName);

        public int Siblings(string? ownerUid, string nodeName) =>
            ownerUid is null ? 0 : SiblingsOf(ownerUid).GetValueOrDefault(nodeName);

        public void Place(PodEntry entry, string nodeName)
        {
            _used[nodeName] = Used(nodeName) + entry.Requests;
            if (entry.ControllerUid is { } owner)
            {
                var counts = SiblingsOf(owner);
                counts[nodeName] = counts.GetValueOrDefault(nodeName) + 1;
            }
        }

        private Dictionary<string, int> SiblingsOf(string ownerUid)
        {
            if (!_siblingsByOwner.TryGetValue(ownerUid, out var counts))
            {
                counts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var pod in _state.PodsControlledBy(ownerUid))
                {
                    if (pod.NodeName is not null && PodFacts.IsActive(pod.Pod))
                    {
                        counts[pod.NodeName] = counts.GetValueOrDefault(pod.NodeName) + 1;
                    }
                }

                _siblingsByOwner[ownerUid] = counts;
            }

            return counts;
        }
    }
}
