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
internal sealed class Scheduler(ControllerContext context) : WorkQueueController<string>(context, StringComparer.Ordinal)
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
                if (!bound && (type == ClusterChangeType.Added
                    || (previous is V1Pod gated && gated.Spec?.SchedulingGates is { Count: > 0 } && pod.Spec?.SchedulingGates is not { Count: > 0 })))
                {
                    // New, or its last scheduling gate was just removed.
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
        var fit = snapshot.StaticFit(spec);
        var best = -1;
        var bestScore = double.MinValue;
        var noResources = new Dictionary<string, int>(StringComparer.Ordinal);
        var reasons = new List<string>(3);
        var maxSiblings = 0;
        foreach (var index in fit.Candidates)
        {
            maxSiblings = Math.Max(maxSiblings, snapshot.Siblings(entry.ControllerUid, snapshot.Nodes[index].Name));
        }

        foreach (var index in fit.Candidates)
        {
            var node = snapshot.Nodes[index];
            var used = snapshot.Used(node.Name);
            reasons.Clear();
            if (!NodeFit.AddResourceReasons(entry.Requests, node.Allocatable - used, reasons))
            {
                foreach (var reason in reasons)
                {
                    noResources[reason] = noResources.GetValueOrDefault(reason) + 1;
                }

                continue;
            }

            var score = Score(entry, node, used, fit, index, snapshot.Siblings(entry.ControllerUid, node.Name), maxSiblings);
            if (score > bestScore + 1e-9)
            {
                bestScore = score;
                best = index;
            }
        }

        if (best < 0)
        {
            foreach (var (reason, count) in fit.Reasons)
            {
                noResources[reason] = noResources.GetValueOrDefault(reason) + count;
            }

            MarkUnschedulable(entry.Pod, UnschedulableMessage(snapshot.Nodes.Count, noResources));
            return;
        }

        var target = snapshot.Nodes[best].Name;
        var now = Context.Now;
        var bound = Context.Api.Mutate<V1Pod>(entry.Pod.Metadata.NamespaceProperty, entry.Pod.Metadata.Name, pod =>
        {
            if (!string.IsNullOrEmpty(pod.Spec.NodeName) || pod.Metadata.DeletionTimestamp is not null)
            {
                return false;
            }

            pod.Spec.NodeName = target;
            pod.Status ??= new V1PodStatus();
            pod.Status.Phase ??= PodFacts.Pending;
            SetPodScheduled(pod.Status, "True", null, null, now);
            return true;
        });
        if (bound?.Spec?.NodeName == target)
        {
            snapshot.Place(entry, target);
        }
    }

    // Weighted like the default profile: NodeAffinity x2, TaintToleration x3, spreading x2, least allocated and balanced x1.
    private static double Score(PodEntry entry, SchedulingSnapshot.NodeInfo node, ResourceAmounts used, SchedulingSnapshot.Fit fit, int index, int siblings, int maxSiblings)
    {
        var allocatable = node.Allocatable;
        var after = used + entry.Requests;
        var cpuFraction = allocatable.CpuMillis > 0 ? Math.Min(1.0, (double)after.CpuMillis / allocatable.CpuMillis) : 1.0;
        var memoryFraction = allocatable.MemoryBytes > 0 ? Math.Min(1.0, (double)after.MemoryBytes / allocatable.MemoryBytes) : 1.0;
        double affinity = fit.PreferredWeight[index], taints = fit.PreferNoScheduleTaints[index];
        return (2 * (fit.MaxPreferredWeight > 0 ? 100 * affinity / fit.MaxPreferredWeight : 0))
            + (3 * (fit.MaxPreferNoScheduleTaints > 0 ? 100 - (100 * taints / fit.MaxPreferNoScheduleTaints) : 100))
            + (2 * (maxSiblings > 0 ? 100.0 * (maxSiblings - siblings) / maxSiblings : 100))
            + (100 * (1 - ((cpuFraction + memoryFraction) / 2)))
            + (100 * (1 - Math.Abs(cpuFraction - memoryFraction)));
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

    /// <summary>
    /// Nodes, their used resources and per-owner pod counts for one scheduling batch, updated as pods are placed; and
    /// the resource-independent filter results per distinct set of placement constraints (pods of one template share them).
    /// </summary>
    private sealed class SchedulingSnapshot
    {
        private readonly ClusterState _state;
        private readonly Dictionary<string, ResourceAmounts> _used = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<string, int>> _siblingsByOwner = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Fit> _fits = new(StringComparer.Ordinal);

        public SchedulingSnapshot(ClusterState state)
        {
            _state = state;
            Nodes = [.. state.Nodes()
                .Where(n => n.Metadata.DeletionTimestamp is null)
                .OrderBy(n => n.Metadata.Name, StringComparer.Ordinal)
                .Select(n => new NodeInfo(n, n.Metadata.Name, ResourceAmounts.Allocatable(n)))];
            foreach (var node in Nodes)
            {
                _used[node.Name] = state.NodeUsage(node.Name);
            }
        }

        public List<NodeInfo> Nodes { get; }

        public ResourceAmounts Used(string nodeName) => _used.GetValueOrDefault(nodeName);

        public int Siblings(string? ownerUid, string nodeName) =>
            ownerUid is null ? 0 : SiblingsOf(ownerUid).GetValueOrDefault(nodeName);

        public Fit StaticFit(V1PodSpec spec)
        {
            var signature = KubernetesJson.Serialize(new object?[] { spec.NodeSelector, spec.Affinity?.NodeAffinity, spec.Tolerations, spec.NodeName });
            if (_fits.TryGetValue(signature, out var fit))
            {
                return fit;
            }

            fit = new Fit(Nodes.Count);
            for (var i = 0; i < Nodes.Count; i++)
            {
                var node = Nodes[i].Node;
                if (NodeFit.StaticReason(spec, node) is { } reason)
                {
                    fit.Reasons[reason] = fit.Reasons.GetValueOrDefault(reason) + 1;
                    continue;
                }

                fit.Candidates.Add(i);
                fit.PreferredWeight[i] = NodeSelectorMatcher.PreferredWeight(spec, node);
                fit.PreferNoScheduleTaints[i] = NodeFit.IntolerablePreferNoScheduleTaints(spec, node);
                fit.MaxPreferredWeight = Math.Max(fit.MaxPreferredWeight, fit.PreferredWeight[i]);
                fit.MaxPreferNoScheduleTaints = Math.Max(fit.MaxPreferNoScheduleTaints, fit.PreferNoScheduleTaints[i]);
            }

            _fits[signature] = fit;
            return fit;
        }

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

        public sealed record NodeInfo(V1Node Node, string Name, ResourceAmounts Allocatable);

        /// <summary>Which nodes pass the static filters (and their static scores); why the others fail.</summary>
        public sealed class Fit(int nodeCount)
        {
            public List<int> Candidates { get; } = [];

            public Dictionary<string, int> Reasons { get; } = new(StringComparer.Ordinal);

            public int[] PreferredWeight { get; } = new int[nodeCount];

            public int[] PreferNoScheduleTaints { get; } = new int[nodeCount];

            public int MaxPreferredWeight { get; set; }

            public int MaxPreferNoScheduleTaints { get; set; }
        }
    }
}
