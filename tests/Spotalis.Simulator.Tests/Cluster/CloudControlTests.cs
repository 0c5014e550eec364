using System.Text.Json.Nodes;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulator.Tests.Cluster;

/// <summary>
/// The simulated cloud driven through objects, as kubectl and <c>spotalis sim</c> do: SimulatedPool spec (outage,
/// maxNodes), the interrupt annotation on Nodes, and Karpenter NodePools (capacity-type requirements, limits).
/// </summary>
public sealed class CloudControlTests
{
    private static ClusterOptions Options(ProviderPreset preset = ProviderPreset.Karpenter, int spot = 1, int onDemand = 1) => new()
    {
        Preset = preset,
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

    [Fact]
    public void Every_pool_has_a_SimulatedPool_whose_status_tells_its_nodes_and_limit()
    {
        using var sim = new SteppedCluster(Options(spot: 2, onDemand: 1));

        var spot = Object(sim.Api, "sim.spotalis.io", "simulatedpools", "spot");
        var onDemand = Object(sim.Api, "sim.spotalis.io", "simulatedpools", "on-demand");

        Assert.Equal("spot", spot.Spec!["capacityType"]!.GetValue<string>());
        Assert.Equal(2, spot.Status!["nodes"]!.GetValue<int>());
        Assert.Equal(1, onDemand.Status!["nodes"]!.GetValue<int>());
        Assert.False(spot.Status!["inOutage"]!.GetValue<bool>());
    }

    [Fact]
    public void Setting_spec_outage_keeps_spot_pods_pending_and_clearing_it_lets_the_pool_launch_again()
    {
        using var sim = new SteppedCluster(Options(spot: 0, onDemand: 1));
        ChangeSpec(sim.Api, "sim.spotalis.io", "simulatedpools", "spot", spec => spec["outage"] = true);
        sim.CreateDeployment("web", 2, Requests("3", "spot"));

        sim.Run(TimeSpan.FromMinutes(5));

        Assert.All(sim.PodsWithLabel("app", "web"), p => Assert.True(string.IsNullOrEmpty(p.Spec.NodeName)));
        Assert.DoesNotContain(sim.Nodes(), n => n.Metadata.Labels["karpenter.sh/capacity-type"] == "spot");
        Assert.True(Object(sim.Api, "sim.spotalis.io", "simulatedpools", "spot").Status!["inOutage"]!.GetValue<bool>());

        ChangeSpec(sim.Api, "sim.spotalis.io", "simulatedpools", "spot", spec => spec["outage"] = false);
        sim.Run(TimeSpan.FromMinutes(2));

        Assert.All(sim.PodsWithLabel("app", "web"), p => Assert.True(Workloads.IsRunningAndReady(p)));
        Assert.False(Object(sim.Api, "sim.spotalis.io", "simulatedpools", "spot").Status!["inOutage"]!.GetValue<bool>());
    }

    [Fact]
    public void Spec_maxNodes_caps_what_provisioning_launches()
    {
        using var sim = new SteppedCluster(Options(spot: 0, onDemand: 1));
        ChangeSpec(sim.Api, "sim.spotalis.io", "simulatedpools", "spot", spec => spec["maxNodes"] = 2);
        sim.CreateDeployment("web", 5, Requests("3", "spot"));

        sim.Run(TimeSpan.FromMinutes(5));

        Assert.Equal(2, sim.Nodes().Count(n => n.Metadata.Labels["karpenter.sh/capacity-type"] == "spot"));
        Assert.Equal(3, sim.PodsWithLabel("app", "web").Count(p => string.IsNullOrEmpty(p.Spec.NodeName)));
    }

    [Fact]
    public void The_interrupt_annotation_starts_a_notice_on_a_spot_node_and_is_answered_as_refused_on_an_on_demand_one()
    {
        using var sim = new SteppedCluster(Options(spot: 1, onDemand: 1));
        var spotNode = sim.Nodes().Single(n => sim.Cluster.PoolOf(n.Metadata.Name) == "spot").Metadata.Name;
        var onDemandNode = sim.Nodes().Single(n => sim.Cluster.PoolOf(n.Metadata.Name) == "on-demand").Metadata.Name;

        Annotate(sim.Api, spotNode);
        Annotate(sim.Api, onDemandNode);
        sim.Run(TimeSpan.FromSeconds(1));

        var tainted = sim.Api.Get<V1Node>(null, spotNode)!;
        Assert.Contains(tainted.Spec.Taints, t => t.Key == "karpenter.sh/disrupted");
        Assert.StartsWith("notice until ", tainted.Metadata.Annotations["sim.spotalis.io/interruption"], StringComparison.Ordinal);
        var refused = sim.Api.Get<V1Node>(null, onDemandNode)!;
        Assert.StartsWith("refused: ", refused.Metadata.Annotations["sim.spotalis.io/interruption"], StringComparison.Ordinal);
        Assert.Null(refused.Spec.Taints);

        sim.Run(TimeSpan.FromMinutes(3));

        Assert.Null(sim.Api.Get<V1Node>(null, spotNode));
        Assert.NotNull(sim.Api.Get<V1Node>(null, onDemandNode));
    }

    [Fact]
    public void A_NodePool_whose_requirements_forbid_spot_never_launches_a_spot_node()
    {
        using var sim = new SteppedCluster(Options(spot: 0, onDemand: 1));
        ChangeSpec(sim.Api, "karpenter.sh", "nodepools", "spot", spec =>
            spec["template"]!["spec"]!["requirements"] = new JsonArray(new JsonObject
            {
                ["key"] = "karpenter.sh/capacity-type",
                ["operator"] = "NotIn",
                ["values"] = new JsonArray("spot"),
            }));
        sim.CreateDeployment("web", 3, Requests("3", "spot"));

        sim.Run(TimeSpan.FromMinutes(10));

        Assert.DoesNotContain(sim.Nodes(), n => n.Metadata.Labels["karpenter.sh/capacity-type"] == "spot");
        Assert.All(sim.PodsWithLabel("app", "web"), p => Assert.True(string.IsNullOrEmpty(p.Spec.NodeName)));
        var status = Object(sim.Api, "sim.spotalis.io", "simulatedpools", "spot").Status!;
        Assert.False(status["launchAllowed"]!.GetValue<bool>());
        Assert.Contains("NodePool spot requires karpenter.sh/capacity-type in [on-demand]", status["launchBlockedBy"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_NodePool_is_a_new_pool_of_the_capacity_type_it_allows_within_its_cpu_limit()
    {
        using var sim = new SteppedCluster(Options(spot: 0, onDemand: 0));
        ChangeSpec(sim.Api, "sim.spotalis.io", "simulatedpools", "on-demand", spec => spec["maxNodes"] = 0);
        ChangeSpec(sim.Api, "sim.spotalis.io", "simulatedpools", "spot", spec => spec["maxNodes"] = 0);
        await sim.Api.CreateAsync(new CustomObject
        {
            ApiVersion = "karpenter.sh/v1",
            Kind = "NodePool",
            Metadata = new V1ObjectMeta { Name = "general" },
            Spec = JsonNode.Parse("""
                {"template": {"spec": {"requirements": [{"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand"]}]}},
                 "limits": {"cpu": "8"}}
                """),
        });
        sim.CreateDeployment("web", 4, Requests("3"));

        sim.Run(TimeSpan.FromMinutes(5));

        var launched = sim.Nodes();
        Assert.Equal(2, launched.Count);
        Assert.All(launched, n => Assert.Equal("general", n.Metadata.Labels["karpenter.sh/nodepool"]));
        Assert.All(launched, n => Assert.Equal("on-demand", n.Metadata.Labels["karpenter.sh/capacity-type"]));
        Assert.Equal(2, Object(sim.Api, "sim.spotalis.io", "simulatedpools", "general").Status!["nodes"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(ProviderPreset.Eks)]
    [InlineData(ProviderPreset.Gke)]
    [InlineData(ProviderPreset.Aks)]
    public void Other_presets_carry_no_Karpenter_label_and_serve_no_NodePool(ProviderPreset preset)
    {
        using var sim = new SteppedCluster(Options(preset, spot: 1, onDemand: 1));

        Assert.All(sim.Nodes(), n => Assert.DoesNotContain(n.Metadata.Labels.Keys, k => k.StartsWith("karpenter.sh/", StringComparison.Ordinal)));
        Assert.Null(sim.Api.Resources.ForPath("karpenter.sh", "v1", "nodepools"));
        Assert.NotNull(sim.Api.Resources.ForPath("sim.spotalis.io", "v1", "simulatedpools"));
    }

    private static CustomObject Object(ClusterApi api, string group, string plural, string name)
    {
        var resource = api.Resources.ForPath(group, "v1", plural) ?? throw new InvalidOperationException($"{plural}.{group} is not served");
        return (CustomObject)(api.GetObject(resource, null, name) ?? throw new InvalidOperationException($"{plural}.{group} {name} does not exist"));
    }

    private static void ChangeSpec(ClusterApi api, string group, string plural, string name, Action<JsonObject> change)
    {
        var copy = KubeJson.Clone(Object(api, group, plural, name));
        change((JsonObject)copy.Spec!);
        api.Update(copy);
    }

    private static void Annotate(ClusterApi api, string node) =>
        api.Mutate<V1Node>(null, node, n =>
        {
            n.Metadata.Annotations ??= new Dictionary<string, string>();
            n.Metadata.Annotations["sim.spotalis.io/interrupt"] = "now";
            return true;
        });
}
