using k8s.Models;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulator.Tests.Cluster;

public sealed class SchedulerTests
{
    private static SteppedCluster Cluster(int spot = 2, int onDemand = 2, ProviderPreset preset = ProviderPreset.Karpenter) => new(new ClusterOptions
    {
        Preset = preset,
        Pools = ClusterOptions.DefaultPools(spot, onDemand),
        EnableProvisioning = false,
    });

    private static V1Pod Pod(string name, Action<V1PodSpec>? customize = null)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "solo" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "nginx" }] },
        };
        customize?.Invoke(pod.Spec);
        return pod;
    }

    private static string CapacityOf(SteppedCluster sim, string podName)
    {
        var node = sim.Api.Get<V1Pod>("default", podName)!.Spec.NodeName;
        return sim.Api.Get<V1Node>(null, node)!.Metadata.Labels["karpenter.sh/capacity-type"];
    }

    [Fact]
    public async Task Node_selector_restricts_placement()
    {
        using var sim = Cluster();
        await sim.Api.CreateAsync(Pod("p", s => s.NodeSelector = new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = "spot" }));
        sim.Cluster.Step();
        Assert.Equal("spot", CapacityOf(sim, "p"));
    }

    [Fact]
    public async Task Required_node_affinity_restricts_placement()
    {
        using var sim = Cluster();
        await sim.Api.CreateAsync(Pod("p", s => s.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "karpenter.sh/capacity-type", OperatorProperty = "NotIn", Values = ["spot"] }] }],
                },
            },
        }));
        sim.Cluster.Step();
        Assert.Equal("on-demand", CapacityOf(sim, "p"));
    }

    [Fact]
    public async Task Preferred_node_affinity_wins_when_it_can()
    {
        using var sim = Cluster();
        for (var i = 0; i < 4; i++)
        {
            await sim.Api.CreateAsync(Pod($"p{i}", s => s.Affinity = new V1Affinity
            {
                NodeAffinity = new V1NodeAffinity
                {
                    PreferredDuringSchedulingIgnoredDuringExecution =
                    [
                        new V1PreferredSchedulingTerm
                        {
                            Weight = 100,
                            Preference = new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "karpenter.sh/capacity-type", OperatorProperty = "In", Values = ["spot"] }] },
                        },
                    ],
                },
            }));
        }

        sim.Cluster.Step();
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal("spot", CapacityOf(sim, $"p{i}")));
    }

    [Fact]
    public async Task Taints_need_tolerations_and_the_unschedulable_message_says_why()
    {
        using var sim = Cluster(spot: 2, onDemand: 0, preset: ProviderPreset.Aks);
        await sim.Api.CreateAsync(Pod("intolerant"));
        await sim.Api.CreateAsync(Pod("tolerant", s => s.Tolerations = [new V1Toleration { Key = "kubernetes.azure.com/scalesetpriority", OperatorProperty = "Equal", Value = "spot", Effect = "NoSchedule" }]));

        sim.Cluster.Step();

        Assert.False(string.IsNullOrEmpty(sim.Api.Get<V1Pod>("default", "tolerant")!.Spec.NodeName));
        var pending = sim.Api.Get<V1Pod>("default", "intolerant")!;
        Assert.True(string.IsNullOrEmpty(pending.Spec.NodeName));
        var condition = pending.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal("False", condition.Status);
        Assert.Equal("Unschedulable", condition.Reason);
        Assert.Equal(
            "0/2 nodes are available: 2 node(s) had untolerated taint {kubernetes.azure.com/scalesetpriority: spot}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
            condition.Message);
    }

    [Fact]
    public async Task Requests_are_checked_against_allocatable_and_the_pod_waits_for_capacity()
    {
        using var sim = Cluster(spot: 1, onDemand: 1);
        await sim.Api.CreateAsync(Pod("big-1", s => s.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("3"), ["memory"] = new("1Gi") } }));
        await sim.Api.CreateAsync(Pod("big-2", s => s.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("3"), ["memory"] = new("1Gi") } }));
        await sim.Api.CreateAsync(Pod("big-3", s => s.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("3"), ["memory"] = new("20Gi") } }));
        sim.Cluster.Step();

        Assert.NotEqual(sim.Api.Get<V1Pod>("default", "big-1")!.Spec.NodeName, sim.Api.Get<V1Pod>("default", "big-2")!.Spec.NodeName);
        var message = sim.Api.Get<V1Pod>("default", "big-3")!.Status.Conditions.Single(c => c.Type == "PodScheduled").Message;
        Assert.StartsWith("0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory.", message, StringComparison.Ordinal);

        await sim.Api.CreateAsync(Pod("medium", s => s.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") } }));
        sim.Cluster.Step();
        Assert.True(string.IsNullOrEmpty(sim.Api.Get<V1Pod>("default", "medium")!.Spec.NodeName));

        sim.Api.Delete<V1Pod>("default", "big-1", gracePeriodSeconds: 0);
        sim.Cluster.Step();
        Assert.False(string.IsNullOrEmpty(sim.Api.Get<V1Pod>("default", "medium")!.Spec.NodeName));
    }

    [Fact]
    public async Task Cordoned_nodes_get_no_new_pods_and_carry_the_unschedulable_taint()
    {
        using var sim = Cluster(spot: 0, onDemand: 1);
        var node = sim.Nodes().Single().Metadata.Name;
        sim.Api.Mutate<V1Node>(null, node, n => { n.Spec.Unschedulable = true; return true; });
        await sim.Api.CreateAsync(Pod("p"));
        sim.Cluster.Step();

        Assert.Contains(sim.Api.Get<V1Node>(null, node)!.Spec.Taints, t => t.Key == "node.kubernetes.io/unschedulable" && t.Effect == "NoSchedule");
        Assert.Contains("1 node(s) were unschedulable", sim.Api.Get<V1Pod>("default", "p")!.Status.Conditions.Single(c => c.Type == "PodScheduled").Message, StringComparison.Ordinal);

        sim.Api.Mutate<V1Node>(null, node, n => { n.Spec.Unschedulable = false; return true; });
        sim.Cluster.Step();
        Assert.Equal(node, sim.Api.Get<V1Pod>("default", "p")!.Spec.NodeName);
        Assert.DoesNotContain(sim.Api.Get<V1Node>(null, node)!.Spec.Taints ?? [], t => t.Key == "node.kubernetes.io/unschedulable");
    }

    [Fact]
    public void Replicas_of_one_workload_spread_over_nodes()
    {
        using var sim = Cluster(spot: 2, onDemand: 2);
        sim.CreateDeployment("web", 4);
        sim.Cluster.Step();
        Assert.Equal(4, sim.PodsWithLabel("app", "web").Select(p => p.Spec.NodeName).Distinct().Count());
    }

    [Fact]
    public async Task A_gated_pod_waits_until_its_last_scheduling_gate_is_removed()
    {
        using var sim = Cluster();
        await sim.Api.CreateAsync(Pod("gated", s => s.SchedulingGates = [new V1PodSchedulingGate { Name = "example.com/wait" }]));
        sim.Cluster.Step();
        Assert.True(string.IsNullOrEmpty(sim.Api.Get<V1Pod>("default", "gated")!.Spec.NodeName));

        sim.Api.Mutate<V1Pod>("default", "gated", p => { p.Spec.SchedulingGates = null; return true; });
        sim.Cluster.Step();

        Assert.False(string.IsNullOrEmpty(sim.Api.Get<V1Pod>("default", "gated")!.Spec.NodeName));
    }
}
