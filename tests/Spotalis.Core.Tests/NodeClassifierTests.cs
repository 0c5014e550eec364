using Spotalis.Core.Capacity;
using Spotalis.Core.Nodes;

namespace Spotalis.Core.Tests;

public sealed class NodeClassifierTests
{
    private static NodeDescription Node(IReadOnlyDictionary<string, string> labels, bool unschedulable = false, params NodeTaint[] taints) =>
        new("node-1", labels, taints, unschedulable);

    private static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(pair => pair.Split('=', 2)).ToDictionary(parts => parts[0], parts => parts[1]);

    public static TheoryData<string, string[], CapacityType?> PresetCases => new()
    {
        { "karpenter", ["karpenter.sh/capacity-type=spot"], CapacityType.Spot },
        { "karpenter", ["karpenter.sh/capacity-type=on-demand"], CapacityType.OnDemand },
        { "karpenter", ["karpenter.sh/capacity-type=reserved"], CapacityType.OnDemand },
        { "karpenter", ["karpenter.sh/capacity-type=SPOT"], null },
        { "karpenter", ["eks.amazonaws.com/capacityType=SPOT"], null },
        { "karpenter", [], null },
        { "eks", ["eks.amazonaws.com/capacityType=SPOT"], CapacityType.Spot },
        { "eks", ["eks.amazonaws.com/capacityType=ON_DEMAND"], CapacityType.OnDemand },
        { "eks", ["eks.amazonaws.com/capacityType=CAPACITY_BLOCK"], CapacityType.OnDemand },
        { "eks", ["eks.amazonaws.com/capacityType=spot"], null },
        { "eks", ["karpenter.sh/capacity-type=spot"], null },
        { "gke", ["cloud.google.com/gke-nodepool=pool-1", "cloud.google.com/gke-spot=true"], CapacityType.Spot },
        { "gke", ["cloud.google.com/gke-nodepool=pool-1", "cloud.google.com/gke-preemptible=true"], CapacityType.Spot },
        { "gke", ["cloud.google.com/gke-nodepool=pool-1", "cloud.google.com/gke-provisioning=spot"], CapacityType.Spot },
        { "gke", ["cloud.google.com/gke-nodepool=pool-1"], CapacityType.OnDemand },
        { "gke", ["cloud.google.com/gke-nodepool=pool-1", "cloud.google.com/gke-provisioning=standard"], CapacityType.OnDemand },
        { "gke", ["cloud.google.com/gke-nodepool=pool-1", "cloud.google.com/gke-spot=false"], CapacityType.OnDemand },
        { "gke", [], null },
        { "aks", ["kubernetes.azure.com/agentpool=spotpool", "kubernetes.azure.com/scalesetpriority=spot"], CapacityType.Spot },
        { "aks", ["kubernetes.azure.com/agentpool=nodepool1"], CapacityType.OnDemand },
        { "aks", ["kubernetes.azure.com/agentpool=nodepool1", "kubernetes.azure.com/scalesetpriority=regular"], CapacityType.OnDemand },
        { "aks", ["kubernetes.io/os=linux"], null },
        { "oke", ["oci.oraclecloud.com/oke-is-preemptible=true"], CapacityType.Spot },
        { "oke", ["kubernetes.io/os=linux"], CapacityType.OnDemand },
    };

    [Theory]
    [MemberData(nameof(PresetCases))]
    public void Presets_classify_provider_labels(string presetName, string[] labels, CapacityType? expected)
    {
        Assert.True(NodePresets.TryGet(presetName, out var preset));
        var classification = new NodeClassifier(preset).Classify(Node(Labels(labels)));

        Assert.Equal(expected, classification.CapacityType);
        Assert.False(classification.Leaving);
        Assert.Contains(presetName, classification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_names_the_matching_selector()
    {
        var classification = new NodeClassifier(NodePresets.Karpenter).Classify(Node(Labels("karpenter.sh/capacity-type=spot")));

        Assert.Equal("spot: matches [karpenter.sh/capacity-type=spot] of preset karpenter", classification.Reason);
    }

    [Fact]
    public void Unknown_nodes_say_so()
    {
        var classification = new NodeClassifier(NodePresets.Karpenter).Classify(Node(Labels("kubernetes.io/os=linux")));

        Assert.Null(classification.CapacityType);
        Assert.Equal("unknown capacity type: matches no spot or on-demand selector of preset karpenter", classification.Reason);
    }

    [Theory]
    [InlineData("karpenter.sh/disrupted", null, "NoSchedule")]
    [InlineData("karpenter.sh/disruption", "disrupting", "NoSchedule")]
    [InlineData("aws-node-termination-handler/spot-itn", "1700000000", "NoSchedule")]
    [InlineData("aws-node-termination-handler/rebalance-recommendation", null, "NoSchedule")]
    [InlineData("aws-node-termination-handler/scheduled-maintenance", null, "NoSchedule")]
    [InlineData("node.kubernetes.io/unschedulable", null, "NoSchedule")]
    [InlineData("ToBeDeletedByClusterAutoscaler", "1700000000", "NoSchedule")]
    [InlineData("cloud.google.com/impending-node-termination", null, "NoSchedule")]
    [InlineData("node.cloudprovider.kubernetes.io/shutdown", null, "NoSchedule")]
    public void Termination_taints_mark_a_node_as_leaving(string key, string? value, string effect)
    {
        var classification = new NodeClassifier(NodePresets.Karpenter)
            .Classify(Node(Labels("karpenter.sh/capacity-type=spot"), false, new NodeTaint(key, value, effect)));

        Assert.Equal(CapacityType.Spot, classification.CapacityType);
        Assert.True(classification.Leaving);
        Assert.Contains($"leaving: tainted {key}", classification.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kubernetes.azure.com/scalesetpriority")]
    [InlineData("DeletionCandidateOfClusterAutoscaler")]
    [InlineData("node.kubernetes.io/not-ready")]
    [InlineData("dedicated")]
    public void Other_taints_do_not_mark_a_node_as_leaving(string key)
    {
        var classification = new NodeClassifier(NodePresets.Aks)
            .Classify(Node(Labels("kubernetes.azure.com/agentpool=a", "kubernetes.azure.com/scalesetpriority=spot"), false, new NodeTaint(key, "spot", "NoSchedule")));

        Assert.False(classification.Leaving);
    }

    [Fact]
    public void Cordoned_nodes_are_leaving()
    {
        var classification = new NodeClassifier(NodePresets.Karpenter).Classify(Node(Labels("karpenter.sh/capacity-type=on-demand"), unschedulable: true));

        Assert.Equal(CapacityType.OnDemand, classification.CapacityType);
        Assert.True(classification.Leaving);
        Assert.EndsWith("leaving: cordoned (spec.unschedulable)", classification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_terms_are_ored_and_expressions_anded()
    {
        var preset = NodePresets.Custom(
            [
                NodeSelectorTerm.WithLabel("pool", "cheap"),
                NodeSelectorTerm.Of(LabelSelectorRequirement.KeyIn("lifecycle", "spot", "preemptible"), LabelSelectorRequirement.KeyExists("zone")),
            ],
            [NodeSelectorTerm.WithLabel("pool", "steady")],
            []);
        var classifier = new NodeClassifier(preset);

        Assert.Equal(CapacityType.Spot, classifier.Classify(Node(Labels("pool=cheap"))).CapacityType);
        Assert.Equal(CapacityType.Spot, classifier.Classify(Node(Labels("lifecycle=preemptible", "zone=a"))).CapacityType);
        Assert.Null(classifier.Classify(Node(Labels("lifecycle=preemptible"))).CapacityType);
        Assert.Equal(CapacityType.OnDemand, classifier.Classify(Node(Labels("pool=steady"))).CapacityType);
        Assert.Null(classifier.Classify(Node(Labels("pool=other"))).CapacityType);
    }

    [Fact]
    public void A_node_matching_both_custom_lists_is_unknown()
    {
        var preset = NodePresets.Custom([NodeSelectorTerm.WithLabel("a", "1")], [NodeSelectorTerm.WithLabel("b", "1")], []);

        var classification = new NodeClassifier(preset).Classify(Node(Labels("a=1", "b=1")));

        Assert.Null(classification.CapacityType);
        Assert.Equal("matches both the spot selector [a=1] and the on-demand selector [b=1] of preset custom", classification.Reason);
    }

    [Fact]
    public void Custom_without_on_demand_terms_treats_every_non_spot_node_as_on_demand_and_steers_by_negation()
    {
        var preset = NodePresets.Custom([NodeSelectorTerm.WithLabel("lifecycle", "spot")], [], []);
        var classifier = new NodeClassifier(preset);

        Assert.Equal(CapacityType.OnDemand, classifier.Classify(Node(Labels("kubernetes.io/os=linux"))).CapacityType);
        Assert.Equal(CapacityType.Spot, classifier.Classify(Node(Labels("lifecycle=spot"))).CapacityType);
        Assert.Equal([LabelSelectorRequirement.KeyIn("lifecycle", "spot").ToString()], preset.SpotSteering.RequiredNodeAffinity.Select(r => r.ToString()));
        var onDemand = Assert.Single(preset.OnDemandSteering.RequiredNodeAffinity);
        Assert.Equal(LabelSelectorRequirement.NotIn, onDemand.Operator);
        Assert.Equal(["spot"], onDemand.Values);
    }

    [Theory]
    [InlineData(LabelSelectorRequirement.NotIn, LabelSelectorRequirement.In)]
    [InlineData(LabelSelectorRequirement.Exists, LabelSelectorRequirement.DoesNotExist)]
    [InlineData(LabelSelectorRequirement.DoesNotExist, LabelSelectorRequirement.Exists)]
    [InlineData("Gt", null)]
    public void Custom_on_demand_steering_negates_a_single_spot_requirement(string spotOperator, string? expected)
    {
        var preset = NodePresets.Custom([NodeSelectorTerm.Of(new LabelSelectorRequirement("k", spotOperator, ["v"]))], [], []);

        var steering = preset.OnDemandSteering.RequiredNodeAffinity;
        if (expected is null)
        {
            Assert.Empty(steering);
        }
        else
        {
            Assert.Equal(expected, Assert.Single(steering).Operator);
        }
    }

    [Fact]
    public void Custom_with_several_spot_terms_and_no_on_demand_terms_has_no_on_demand_steering()
    {
        var preset = NodePresets.Custom([NodeSelectorTerm.WithLabel("a", "1"), NodeSelectorTerm.WithLabel("b", "1")], [], []);

        Assert.Empty(preset.OnDemandSteering.RequiredNodeAffinity);
        Assert.Equal(["a in (1)"], preset.SteeringFor(CapacityType.Spot).RequiredNodeAffinity.Select(r => r.ToString()));
    }

    [Fact]
    public void Empty_custom_terms_never_match_so_nothing_is_classified_as_spot_by_accident()
    {
        var preset = NodePresets.Custom([new NodeSelectorTerm(new Dictionary<string, string>(), [])], [], []);
        var classification = new NodeClassifier(preset).Classify(Node(Labels("anything=1")));

        Assert.Empty(preset.SpotTerms);
        Assert.Null(classification.CapacityType);
        Assert.Empty(preset.SpotSteering.RequiredNodeAffinity);
    }

    [Fact]
    public void Custom_keeps_the_given_tolerations_and_steers_with_the_first_term()
    {
        var toleration = new PodToleration("lifecycle", PodToleration.EqualOperator, "spot", PodToleration.NoSchedule);
        var preset = NodePresets.Custom(
            [new NodeSelectorTerm(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }, [LabelSelectorRequirement.KeyExists("c")])],
            [NodeSelectorTerm.Of(LabelSelectorRequirement.KeyDoesNotExist("a"))],
            [toleration]);

        Assert.Equal(NodePresets.CustomName, preset.Name);
        Assert.Equal([toleration], preset.SpotTolerations);
        Assert.Equal(["a in (1)", "b in (2)", "c"], preset.SpotSteering.RequiredNodeAffinity.Select(r => r.ToString()));
        Assert.Equal(["!a"], preset.SteeringFor(CapacityType.OnDemand).RequiredNodeAffinity.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("karpenter")]
    [InlineData("EKS")]
    [InlineData(" gke ")]
    [InlineData("Aks")]
    [InlineData("oke")]
    public void Built_in_presets_are_found_by_name(string name)
    {
        Assert.True(NodePresets.TryGet(name, out var preset));
        Assert.Equal(name.Trim().ToLowerInvariant(), preset.Name);
    }

    [Theory]
    [InlineData("custom")]
    [InlineData("azure")]
    [InlineData("")]
    public void Unknown_presets_and_custom_are_not_found(string name)
    {
        Assert.False(NodePresets.TryGet(name, out _));
    }

    [Fact]
    public void Each_built_in_preset_steers_pods_onto_nodes_it_classifies_accordingly()
    {
        // The steering of a preset must select exactly nodes that the same preset classifies as that capacity type.
        var samples = new Dictionary<string, (string[] Spot, string[] OnDemand)>
        {
            ["karpenter"] = (["karpenter.sh/capacity-type=spot"], ["karpenter.sh/capacity-type=on-demand"]),
            ["eks"] = (["eks.amazonaws.com/capacityType=SPOT"], ["eks.amazonaws.com/capacityType=ON_DEMAND"]),
            ["gke"] = (["cloud.google.com/gke-nodepool=p", "cloud.google.com/gke-spot=true"], ["cloud.google.com/gke-nodepool=p"]),
            ["aks"] = (["kubernetes.azure.com/agentpool=p", "kubernetes.azure.com/scalesetpriority=spot"], ["kubernetes.azure.com/agentpool=p"]),
            ["oke"] = (["oci.oraclecloud.com/oke-is-preemptible=true"], ["kubernetes.io/os=linux"]),
        };
        foreach (var preset in NodePresets.BuiltIn)
        {
            var (spot, onDemand) = samples[preset.Name];
            var spotTerm = new NodeSelectorTerm(new Dictionary<string, string>(), preset.SpotSteering.RequiredNodeAffinity);
            var onDemandTerm = new NodeSelectorTerm(new Dictionary<string, string>(), preset.OnDemandSteering.RequiredNodeAffinity);

            Assert.True(spotTerm.Matches(Labels(spot)), preset.Name);
            Assert.False(spotTerm.Matches(Labels(onDemand)), preset.Name);
            Assert.True(onDemandTerm.Matches(Labels(onDemand)), preset.Name);
            Assert.False(onDemandTerm.Matches(Labels(spot)), preset.Name);
        }
    }

    [Fact]
    public void Aks_spot_pods_tolerate_the_spot_taint()
    {
        var toleration = Assert.Single(NodePresets.Aks.SpotTolerations);

        Assert.Equal(new PodToleration("kubernetes.azure.com/scalesetpriority", "Equal", "spot", "NoSchedule"), toleration);
    }

    [Fact]
    public void Oke_preemptible_pods_tolerate_the_preemptible_taint()
    {
        // OKE taints preemptible workers oci.oraclecloud.com/oke-is-preemptible (NoSchedule) besides labelling them.
        var toleration = Assert.Single(NodePresets.Oke.SpotTolerations);

        Assert.Equal(new PodToleration("oci.oraclecloud.com/oke-is-preemptible", "Exists", null, "NoSchedule"), toleration);
        Assert.False(new NodeClassifier(NodePresets.Oke)
            .Classify(Node(Labels("oci.oraclecloud.com/fault-domain=FAULT-DOMAIN-1", "oci.oraclecloud.com/oke-is-preemptible=true"), false,
                new NodeTaint("oci.oraclecloud.com/oke-is-preemptible", null, "NoSchedule"))).Leaving);
    }
}
