using Spotalis.Core.Capacity;
using Spotalis.Operator.Cache;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>A fixed cache: opted-in Deployments at 70 % spot, each with running pods on spot and on-demand nodes.</summary>
internal sealed class BenchClusterView : IClusterView
{
    private readonly Dictionary<WorkloadRef, WorkloadSnapshot> _workloads = [];
    private readonly Dictionary<string, WorkloadRef> _replicaSets = new(StringComparer.Ordinal);
    private readonly Dictionary<WorkloadRef, IReadOnlyList<PodSnapshot>> _pods = [];
    private readonly Dictionary<string, NodeSnapshot> _nodes = new(StringComparer.Ordinal);

    public BenchClusterView(int workloads, int podsPerWorkload)
    {
        _nodes["spot-1"] = new NodeSnapshot("spot-1", new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = "spot" }, [], false, true);
        _nodes["od-1"] = new NodeSnapshot("od-1", new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = "on-demand" }, [], false, true);
        var created = DateTimeOffset.UtcNow - TimeSpan.FromHours(1);
        for (var w = 0; w < workloads; w++)
        {
            var name = $"api-{w}";
            var workload = new WorkloadSnapshot(
                new WorkloadRef("Deployment", "shop", name),
                $"uid-{name}",
                new Dictionary<string, string> { [SpotalisKeys.Enabled] = "true", ["app"] = name },
                new Dictionary<string, string> { [SpotalisKeys.SpotPercentage] = "70", [SpotalisKeys.MinOnDemand] = "1" },
                podsPerWorkload * 4,
                3,
                3,
                "7d9c8b6f5",
                false);
            _workloads[workload.Ref] = workload;
            _replicaSets[$"{name}-7d9c8b6f5"] = workload.Ref;
            var pods = new List<PodSnapshot>(podsPerWorkload);
            for (var p = 0; p < podsPerWorkload; p++)
            {
                var spot = p % 10 < 7;
                pods.Add(new PodSnapshot(
                    "shop", $"{name}-7d9c8b6f5-{p:x5}", $"pod-uid-{w}-{p}",
                    [new OwnerRef("ReplicaSet", $"{name}-7d9c8b6f5", "rs-uid", true)],
                    spot ? "spot-1" : "od-1", "Running", true, false, created, "7d9c8b6f5",
                    spot ? "spot" : "on-demand", false, 100, null, null,
                    new Dictionary<string, string> { ["app"] = name }));
            }

            _pods[workload.Ref] = pods;
        }
    }

    public bool IsSynced => true;

    public WorkloadSnapshot? GetWorkload(WorkloadRef workload) => _workloads.GetValueOrDefault(workload);

    public IReadOnlyList<WorkloadSnapshot> GetWorkloads() => [.. _workloads.Values];

    public WorkloadRef? ResolveOwner(string namespaceName, IReadOnlyList<OwnerRef> podOwners)
    {
        foreach (var owner in podOwners)
        {
            if (owner.Controller && owner.Kind == "ReplicaSet" && _replicaSets.TryGetValue(owner.Name, out var workload))
            {
                return workload;
            }
        }

        return null;
    }

    public IReadOnlyList<PodSnapshot> GetPods(WorkloadRef workload) => _pods.GetValueOrDefault(workload) ?? [];

    public NodeSnapshot? GetNode(string name) => _nodes.GetValueOrDefault(name);

    public IReadOnlyList<NodeSnapshot> GetNodes() => [.. _nodes.Values];

    public IReadOnlyDictionary<string, string>? GetNamespaceLabels(string namespaceName) => null;
}
