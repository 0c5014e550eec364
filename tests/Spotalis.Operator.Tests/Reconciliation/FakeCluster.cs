using Spotalis.Core.Capacity;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Tests.Reconciliation;

/// <summary>An in-memory <see cref="IClusterView"/> for reconciler tests: two Karpenter nodes and one Deployment.</summary>
internal sealed class FakeCluster : IClusterView
{
    public static readonly WorkloadRef Api = new("Deployment", "shop", "api");
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public Dictionary<string, string> NamespaceLabels { get; } = [];

    public List<PodSnapshot> Pods { get; } = [];

    public List<NodeSnapshot> Nodes { get; } =
    [
        new("spot-1", new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = "spot" }, [], false, true),
        new("od-1", new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = "on-demand" }, [], false, true),
    ];

    public WorkloadSnapshot? Workload { get; set; }

    public bool IsSynced => true;

    public static FakeCluster WithDeployment(int replicas, string spotPercentage, string minOnDemand = "0", int onSpot = 0, int onDemand = 0)
    {
        var cluster = new FakeCluster();
        cluster.Workload = new WorkloadSnapshot(
            Api,
            "uid-api",
            new Dictionary<string, string> { [SpotalisKeys.Enabled] = "true" },
            new Dictionary<string, string> { [SpotalisKeys.SpotPercentage] = spotPercentage, [SpotalisKeys.MinOnDemand] = minOnDemand },
            replicas,
            1,
            1,
            "rev1",
            false);
        for (var i = 0; i < onSpot; i++)
        {
            cluster.AddPod($"api-s{i}", "spot-1", ageMinutes: 10 + i);
        }

        for (var i = 0; i < onDemand; i++)
        {
            cluster.AddPod($"api-d{i}", "od-1", ageMinutes: 10 + i);
        }

        return cluster;
    }

    public PodSnapshot AddPod(string name, string? node, int ageMinutes = 10, bool ready = true, string revision = "rev1", int? deletionCost = null)
    {
        var pod = new PodSnapshot(
            "shop", name, "uid-" + name, [new OwnerRef("ReplicaSet", "api-rev1", "uid-rs", true)], node,
            node is null ? "Pending" : "Running", ready && node is not null, false, Epoch.AddMinutes(-ageMinutes), revision,
            null, false, deletionCost, null, null, new Dictionary<string, string>());
        Pods.Add(pod);
        return pod;
    }

    public WorkloadSnapshot? GetWorkload(WorkloadRef workload) => workload == Workload?.Ref ? Workload : null;

    public IReadOnlyList<WorkloadSnapshot> GetWorkloads() => Workload is null ? [] : [Workload];

    public WorkloadRef? ResolveOwner(string namespaceName, IReadOnlyList<OwnerRef> podOwners) => Workload?.Ref;

    public IReadOnlyList<PodSnapshot> GetPods(WorkloadRef workload) => workload == Workload?.Ref ? Pods : [];

    public NodeSnapshot? GetNode(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    public IReadOnlyList<NodeSnapshot> GetNodes() => Nodes;

    public IReadOnlyDictionary<string, string>? GetNamespaceLabels(string namespaceName) => NamespaceLabels;

    public static DateTimeOffset Now => Epoch;
}

/// <summary>Records every write the reconciler makes; evictions answer with <see cref="NextEviction"/>.</summary>
internal sealed class RecordingPodActions : IPodActions
{
    public List<string> Evicted { get; } = [];

    public Dictionary<string, int> DeletionCosts { get; } = [];

    public List<WorkloadEvent> Events { get; } = [];

    public EvictionOutcome NextEviction { get; set; } = EvictionOutcome.Evicted;

    public Task<EvictionResult> EvictAsync(string namespaceName, string podName, CancellationToken cancellationToken)
    {
        if (NextEviction == EvictionOutcome.Evicted)
        {
            Evicted.Add(podName);
        }

        return Task.FromResult(new EvictionResult(NextEviction, NextEviction == EvictionOutcome.BlockedByPdb ? "Cannot evict pod as it would violate the pod's disruption budget." : "ok"));
    }

    public Task SetDeletionCostAsync(string namespaceName, string podName, int cost, CancellationToken cancellationToken)
    {
        DeletionCosts[podName] = cost;
        return Task.CompletedTask;
    }

    public Dictionary<string, string?> Annotations { get; } = [];

    public Task SetPodAnnotationAsync(string namespaceName, string podName, string key, string? value, CancellationToken cancellationToken)
    {
        Annotations[podName + "/" + key] = value;
        return Task.CompletedTask;
    }

    public Task RecordEventAsync(WorkloadEvent workloadEvent, CancellationToken cancellationToken)
    {
        Events.Add(workloadEvent);
        return Task.CompletedTask;
    }
}

/// <summary>A clock fixed at a given instant (advanced by tests).</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
