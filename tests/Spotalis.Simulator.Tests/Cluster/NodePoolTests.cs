using k8s.Models;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulator.Tests.Cluster;

public sealed class NodePoolTests
{
    private static ClusterOptions Options(int spot = 1, int onDemand = 1) => new()
    {
        Pools = ClusterOptions.DefaultPools(spot, onDemand),
        PodStartDelay = TimeSpan.FromSeconds(1),
        ProvisioningDelay = TimeSpan.FromSeconds(30),
        InterruptionNotice = TimeSpan.FromMinutes(2),
        ContainerStopDuration = TimeSpan.FromSeconds(1),
    };

    private static Action<V1Deployment> Requests(string cpu, string? capacityType = null) => d =>
    {
        d.Spec.Template.Spec.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } };
        if (capacityType is not null)
        {
            d.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = capacityType };
        }
    };

    [Theory]
    [InlineData(ProviderPreset.Karpenter, "karpenter.sh/capacity-type", "spot", "on-demand")]
    [InlineData(ProviderPreset.Eks, "eks.amazonaws.com/capacityType", "SPOT", "ON_DEMAND")]
    [InlineData(ProviderPreset.Gke, "cloud.google.com/gke-provisioning", "spot", "standard")]
    [InlineData(ProviderPreset.Aks, "kubernetes.azure.com/mode", "user", "user")]
    public void Nodes_wear_the_labels_of_the_preset(ProviderPreset preset, string key, string spotValue, string onDemandValue)
    {
        using var sim = new SteppedCluster(Options() with { Preset = preset });
        var nodes = sim.Nodes();
        Assert.Equal(2, nodes.Count);
        foreach (var node in nodes)
        {
            var labels = node.Metadata.Labels;
            Assert.Equal(node.Metadata.Name, labels["kubernetes.io/hostname"]);
            Assert.False(string.IsNullOrEmpty(labels["topology.kubernetes.io/zone"]));
            Assert.False(string.IsNullOrEmpty(labels["node.kubernetes.io/instance-type"]));
            Assert.Contains(node.Status.Conditions, c => c.Type == "Ready" && c.Status == "True");
            var pool = sim.Cluster.PoolOf(node.Metadata.Name);
            Assert.Equal(pool == "spot" ? spotValue : onDemandValue, labels[key]);
        }

        var spotNode = nodes.Single(n => sim.Cluster.PoolOf(n.Metadata.Name) == "spot");
        switch (preset)
        {
            case ProviderPreset.Gke:
                Assert.Equal("true", spotNode.Metadata.Labels["cloud.google.com/gke-spot"]);
                break;
            case ProviderPreset.Aks:
                Assert.Equal("spot", spotNode.Metadata.Labels["kubernetes.azure.com/scalesetpriority"]);
                Assert.Contains(spotNode.Spec.Taints, t => t.Key == "kubernetes.azure.com/scalesetpriority" && t.Value == "spot" && t.Effect == "NoSchedule");
                break;
        }
    }

    [Fact]
    public void Pending_pods_get_a_node_from_the_cheapest_fitting_pool_after_the_provisioning_delay()
    {
        using var sim = new SteppedCluster(Options(spot: 0, onDemand: 1));
        sim.CreateDeployment("web", 2, Requests("3"));
        sim.Run(TimeSpan.FromSeconds(10));
        Assert.Single(sim.PodsWithLabel("app", "web"), p => string.IsNullOrEmpty(p.Spec.NodeName));
        Assert.Equal(1, sim.Cluster.Statistics.PendingLaunches);

        sim.Run(TimeSpan.FromSeconds(30));

        Assert.All(sim.PodsWithLabel("app", "web"), p => Assert.True(Workloads.IsRunningAndReady(p)));
        Assert.Equal(2, sim.Nodes().Count);
        var added = sim.Nodes().Single(n => n.Metadata.Labels["karpenter.sh/capacity-type"] == "spot");
        Assert.Equal("spot", sim.Cluster.PoolOf(added.Metadata.Name));
        Assert.Equal(1, sim.Cluster.Statistics.NodesProvisioned);
    }

    [Fact]
    public void Provisioning_packs_several_pending_pods_onto_one_new_node()
    {
        using var sim = new SteppedCluster(Options(spot: 0, onDemand: 0));
        sim.CreateDeployment("web", 6, Requests("500m", "on-demand"));
        sim.Run(TimeSpan.FromMinutes(2));

        Assert.Equal(1, sim.Cluster.Statistics.NodesProvisioned);
        Assert.Equal(6, sim.PodsWithLabel("app", "web").Count(Workloads.IsRunningAndReady));
    }

    [Fact]
    public void A_pool_in_outage_cannot_provision_until_the_outage_ends()
    {
        using var sim = new SteppedCluster(Options(spot: 0, onDemand: 0));
        sim.Cluster.StartOutage("spot", TimeSpan.FromMinutes(10));
        sim.CreateDeployment("web", 1, Requests("1", "spot"));

        sim.Run(TimeSpan.FromMinutes(5));
        Assert.True(sim.Cluster.IsInOutage("spot"));
        Assert.Empty(sim.Nodes());
        Assert.True(string.IsNullOrEmpty(sim.PodsWithLabel("app", "web").Single().Spec.NodeName));

        sim.Run(TimeSpan.FromMinutes(6));
        Assert.False(sim.Cluster.IsInOutage("spot"));
        Assert.True(Workloads.IsRunningAndReady(sim.PodsWithLabel("app", "web").Single()));
    }

    [Fact]
    public void During_a_spot_outage_pods_that_may_run_anywhere_land_on_on_demand()
    {
        using var sim = new SteppedCluster(Options(spot: 0, onDemand: 0));
        sim.Cluster.StartOutage("spot");
        sim.CreateDeployment("web", 1, Requests("1"));

        sim.Run(TimeSpan.FromMinutes(2));

        var node = sim.PodsWithLabel("app", "web").Single().Spec.NodeName;
        Assert.Equal("on-demand", sim.Cluster.PoolOf(node));
        sim.Cluster.EndOutage("spot");
        Assert.False(sim.Cluster.IsInOutage("spot"));
    }

    [Fact]
    public void A_launch_decided_before_an_outage_fails_and_is_counted()
    {
        using var sim = new SteppedCluster(Options(spot: 0, onDemand: 0));
        sim.CreateDeployment("web", 1, Requests("1", "spot"));
        sim.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(1, sim.Cluster.Statistics.PendingLaunches);

        sim.Cluster.StartOutage("spot");
        sim.Run(TimeSpan.FromMinutes(1));

        Assert.Equal(1, sim.Cluster.Statistics.FailedLaunches);
        Assert.Empty(sim.Nodes());
    }

    [Fact]
    public void Spot_interruption_taints_then_evicts_and_removes_the_node_and_the_replicaset_replaces_the_pods()
    {
        using var sim = new SteppedCluster(Options(spot: 2, onDemand: 1));
        sim.CreateDeployment("web", 3, d => d.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = "spot" });
        sim.Run(TimeSpan.FromSeconds(10));
        var victim = sim.PodsWithLabel("app", "web").GroupBy(p => p.Spec.NodeName).OrderByDescending(g => g.Count()).First();
        var doomed = victim.Select(p => p.Metadata.Name).ToHashSet();

        Assert.True(sim.Cluster.Interrupt(victim.Key));
        Assert.False(sim.Cluster.Interrupt(victim.Key));
        sim.Cluster.Step();
        Assert.Contains(sim.Api.Get<V1Node>(null, victim.Key)!.Spec.Taints, t => t.Key == "karpenter.sh/disrupted" && t.Effect == "NoSchedule");

        sim.Run(TimeSpan.FromSeconds(100));
        Assert.All(doomed, name => Assert.True(Workloads.IsRunningAndReady(sim.Api.Get<V1Pod>("default", name)!)));

        sim.Run(TimeSpan.FromSeconds(60));
        Assert.Null(sim.Api.Get<V1Node>(null, victim.Key));
        var pods = sim.PodsWithLabel("app", "web");
        Assert.Equal(3, pods.Count(Workloads.IsRunningAndReady));
        Assert.DoesNotContain(pods, p => doomed.Contains(p.Metadata.Name) || p.Spec.NodeName == victim.Key);
        Assert.Equal(1, sim.Cluster.Statistics.Interruptions);
        Assert.Equal(doomed.Count, sim.Cluster.Statistics.PodsDisruptedByInterruptions);
    }

    [Fact]
    public void On_demand_nodes_cannot_be_interrupted_and_unknown_nodes_are_reported()
    {
        using var sim = new SteppedCluster(Options());
        var onDemand = sim.Nodes().Single(n => sim.Cluster.PoolOf(n.Metadata.Name) == "on-demand").Metadata.Name;
        Assert.Throws<ArgumentException>(() => sim.Cluster.Interrupt(onDemand));
        var error = Assert.Throws<ArgumentException>(() => sim.Cluster.Interrupt("no-such-node"));
        Assert.Contains("no-such-node", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => sim.Cluster.StartOutage("no-such-pool"));
    }

    [Fact]
    public void Random_interruptions_follow_the_seed()
    {
        static (string[] Names, int Interruptions) RunOnce(int seed)
        {
            var options = Options(spot: 5, onDemand: 0) with
            {
                Seed = seed,
                EnableProvisioning = false,
                Pools = [new NodePoolOptions { Name = "spot", CapacityType = NodeCapacityType.Spot, InitialNodes = 5, MaxNodes = 5, InterruptionsPerNodeHour = 1 }],
            };
            using var sim = new SteppedCluster(options);
            var names = sim.Nodes().Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ToArray();
            sim.Run(TimeSpan.FromHours(1));
            return (names, sim.Cluster.Statistics.Interruptions);
        }

        var first = RunOnce(42);
        var again = RunOnce(42);
        Assert.Equal(first.Names, again.Names);
        Assert.Equal(first.Interruptions, again.Interruptions);
        Assert.InRange(first.Interruptions, 1, 5);
    }

    [Fact]
    public void Cost_is_node_hours_times_price()
    {
        using var sim = new SteppedCluster(Options(spot: 2, onDemand: 1));
        sim.Run(TimeSpan.FromHours(2));

        var cost = sim.Cluster.GetCost();
        Assert.Equal(6, cost.NodeHours, precision: 3);
        Assert.Equal(2 * 2 * 0.0672m, decimal.Round(cost.SpotCost, 4));
        Assert.Equal(2 * 0.192m, decimal.Round(cost.OnDemandCost, 4));
        Assert.Equal(cost.SpotCost + cost.OnDemandCost, cost.TotalCost);
        Assert.Equal(2, cost.Pools.Single(p => p.Pool == "spot").NodesNow);
    }

    [Fact]
    public async Task Deleted_nodes_stop_costing_and_added_nodes_start()
    {
        using var sim = new SteppedCluster(Options(spot: 1, onDemand: 0));
        sim.Run(TimeSpan.FromHours(1));
        sim.Api.Delete<V1Node>(null, sim.Nodes().Single().Metadata.Name);
        var added = await sim.Cluster.AddNodesAsync("on-demand", 2);
        Assert.Equal(2, added.Count);
        sim.Run(TimeSpan.FromHours(1));

        var cost = sim.Cluster.GetCost();
        Assert.Equal(0.0672m, decimal.Round(cost.SpotCost, 4));
        Assert.Equal(2 * 0.192m, decimal.Round(cost.OnDemandCost, 4));
        Assert.Equal(3, sim.Cluster.Statistics.NodesAdded);
    }

    [Fact]
    public void Empty_nodes_are_scaled_in_after_their_ttl_down_to_the_pool_minimum()
    {
        using var sim = new SteppedCluster(Options(spot: 0, onDemand: 0) with
        {
            EmptyNodeTtl = TimeSpan.FromMinutes(1),
            Pools = [new NodePoolOptions { Name = "on-demand", InitialNodes = 3, MinNodes = 1, MaxNodes = 5 }],
        });
        sim.CreateDeployment("web", 1);
        sim.Run(TimeSpan.FromMinutes(3));

        var nodes = sim.Nodes();
        Assert.Single(nodes);
        Assert.Equal(nodes[0].Metadata.Name, sim.PodsWithLabel("app", "web").Single().Spec.NodeName);
        Assert.Equal(2, sim.Cluster.Statistics.NodesScaledIn);
    }

    [Theory]
    [InlineData("Cpu", "lots")]
    [InlineData("Taint", "no-effect")]
    [InlineData("Max", "")]
    public void Invalid_options_are_rejected_with_a_message_naming_the_field(string field, string value)
    {
        var pool = new NodePoolOptions { Name = "p", InitialNodes = 1, MaxNodes = 2 };
        pool = field switch
        {
            "Cpu" => pool with { Cpu = value },
            "Taint" => pool with { Taints = [value] },
            _ => pool with { MaxNodes = 0 },
        };
        var error = Assert.Throws<ArgumentException>(() => new SimulatedCluster(new Spotalis.Simulator.Api.ClusterApi(), new ClusterOptions { Pools = [pool] }));
        Assert.Contains("pool \"p\"", error.Message, StringComparison.Ordinal);
    }
}
