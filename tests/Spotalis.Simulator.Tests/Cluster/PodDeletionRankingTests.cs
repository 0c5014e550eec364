using k8s.Models;
using Spotalis.Simulator.Cluster.Controllers;

namespace Spotalis.Simulator.Tests.Cluster;

public sealed class PodDeletionRankingTests
{
    private static readonly DateTime Now = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static V1Pod Pod(string name, string? node = "n1", string phase = "Running", bool ready = true, int? cost = null,
        TimeSpan? readyFor = null, TimeSpan? age = null, int restarts = 0) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            CreationTimestamp = Now - (age ?? TimeSpan.FromHours(1)),
            Annotations = cost is null ? null : new Dictionary<string, string> { ["controller.kubernetes.io/pod-deletion-cost"] = cost.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        Spec = new V1PodSpec { NodeName = node },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Now - (readyFor ?? TimeSpan.FromHours(1)) }],
            ContainerStatuses = [new V1ContainerStatus { Name = "c", RestartCount = restarts }],
        },
    };

    private static List<string> Order(params V1Pod[] pods) =>
        [.. PodDeletionRanking.Order(pods, new Dictionary<string, int>(), Now).Select(p => p.Metadata.Name)];

    [Fact]
    public void Unassigned_before_assigned() => Assert.Equal(["b", "a"], Order(Pod("a"), Pod("b", node: null, phase: "Pending", ready: false)));

    [Fact]
    public void Pending_before_running() => Assert.Equal(["b", "a"], Order(Pod("a"), Pod("b", phase: "Pending", ready: false)));

    [Fact]
    public void Not_ready_before_ready() => Assert.Equal(["b", "a"], Order(Pod("a"), Pod("b", ready: false)));

    [Fact]
    public void Lower_deletion_cost_first_and_missing_cost_counts_as_zero() =>
        Assert.Equal(["c", "a", "b"], Order(Pod("a"), Pod("b", cost: 10), Pod("c", cost: -3)));

    [Fact]
    public void Deletion_cost_outranks_readiness_age() =>
        Assert.Equal(["old", "young"], Order(Pod("young", cost: 5, readyFor: TimeSpan.FromSeconds(5)), Pod("old", cost: 1, readyFor: TimeSpan.FromDays(3))));

    [Fact]
    public void Doubled_up_pods_go_first()
    {
        var related = new Dictionary<string, int> { ["busy"] = 3, ["quiet"] = 1 };
        var order = PodDeletionRanking.Order([Pod("a", node: "quiet"), Pod("b", node: "busy")], related, Now);
        Assert.Equal(["b", "a"], order.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void Recently_ready_before_long_ready_in_logarithmic_buckets()
    {
        Assert.Equal(["b", "a"], Order(Pod("a", readyFor: TimeSpan.FromHours(10)), Pod("b", readyFor: TimeSpan.FromMinutes(1))));

        // 40 s and 50 s fall in the same power-of-two bucket: the tie goes on to the next rules (name here).
        Assert.Equal(["a", "b"], Order(Pod("a", readyFor: TimeSpan.FromSeconds(50)), Pod("b", readyFor: TimeSpan.FromSeconds(40))));
    }

    [Fact]
    public void More_restarts_first_then_newer_first()
    {
        Assert.Equal(["b", "a"], Order(Pod("a"), Pod("b", restarts: 4)));
        Assert.Equal(["b", "a"], Order(Pod("a", age: TimeSpan.FromDays(2)), Pod("b", age: TimeSpan.FromMinutes(2))));
    }
}
