using Spotalis.Core.Nodes;

namespace Spotalis.Core.Tests;

public sealed class PresetDetectorTests
{
    private static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    [Theory]
    [InlineData("eks.amazonaws.com/capacityType=ON_DEMAND", "eks.amazonaws.com/capacityType=SPOT", "eks")]
    [InlineData("cloud.google.com/gke-nodepool=default", "cloud.google.com/gke-spot=true", "gke")]
    [InlineData("kubernetes.azure.com/agentpool=system", "kubernetes.azure.com/scalesetpriority=spot", "aks")]
    [InlineData("karpenter.sh/capacity-type=on-demand", "karpenter.sh/capacity-type=spot", "karpenter")]
    [InlineData("oci.oraclecloud.com/fault-domain=FAULT-DOMAIN-1", "oci.oraclecloud.com/oke-is-preemptible=true", "oke")]
    public void The_provider_is_recognised_by_the_labels_of_its_nodes(string onDemandLabel, string spotLabel, string preset)
    {
        // An AKS spot node also carries agentpool, an OKE one fault-domain: the first label of each pair is on every node.
        var spotNode = preset is "aks" or "oke" or "gke" ? Labels(onDemandLabel, spotLabel) : Labels(spotLabel);
        var detection = PresetDetector.Detect([Labels(onDemandLabel), spotNode, Labels("kubernetes.io/os=linux")], []);

        Assert.Equal(preset, detection.Preset?.Name);
        Assert.Null(detection.ProvisionerAllowsSpot);
        Assert.StartsWith($"preset {preset}: ", detection.Finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_recognised_means_no_preset_and_says_so()
    {
        var detection = PresetDetector.Detect([Labels("kubernetes.io/os=linux")], []);

        Assert.Null(detection.Preset);
        Assert.Contains("no provider recognised among 1 node(s)", detection.Finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Karpenter_NodePools_make_it_Karpenter_and_say_whether_spot_can_be_launched()
    {
        var onlyOnDemand = NodePoolCapacity.FromRequirements("general", [LabelSelectorRequirement.KeyIn("karpenter.sh/capacity-type", "on-demand")]);
        var detection = PresetDetector.Detect([], [onlyOnDemand]);

        Assert.Equal("karpenter", detection.Preset?.Name);
        Assert.False(detection.ProvisionerAllowsSpot);
        Assert.Contains("general: on-demand only", detection.Finding, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("In", "spot", true, false)]
    [InlineData("In", "spot,on-demand", true, true)]
    [InlineData("NotIn", "spot", false, true)]
    [InlineData("Exists", "", true, true)]
    public void NodePool_requirements_say_which_capacity_types_it_may_launch(string op, string values, bool spot, bool onDemand)
    {
        var pool = NodePoolCapacity.FromRequirements("p", [new LabelSelectorRequirement("karpenter.sh/capacity-type", op, values.Split(',', StringSplitOptions.RemoveEmptyEntries))]);

        Assert.Equal((spot, onDemand), (pool.AllowsSpot, pool.AllowsOnDemand));
    }

    [Fact]
    public void A_NodePool_without_a_capacity_type_requirement_launches_on_demand_only()
    {
        Assert.Equal(new NodePoolCapacity("p", false, true), NodePoolCapacity.FromRequirements("p", []));
    }

    [Theory]
    [InlineData(1, null, true)]
    [InlineData(0, true, true)]
    [InlineData(0, false, false)]
    [InlineData(0, null, false)]
    public void Spot_is_offered_only_by_a_spot_node_or_a_provisioner_that_allows_it(int spotNodes, bool? provisioner, bool offered)
    {
        Assert.Equal(offered, SpotOffer.WhyNot(spotNodes, provisioner) is null);
    }
}
