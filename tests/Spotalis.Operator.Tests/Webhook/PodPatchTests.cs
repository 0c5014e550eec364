using System.Text.Json.Nodes;
using Spotalis.Core.Capacity;
using Spotalis.Core.Nodes;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Placement;

namespace Spotalis.Operator.Tests.Webhook;

public sealed class PodPatchTests
{
    private static WebhookTestContext AllSpot(NodePreset? preset = null)
    {
        var context = new WebhookTestContext(preset);
        context.View.AddDeployment("shop", "api", 10, WebhookTestContext.OptedIn, WebhookTestContext.Split(100));
        return context;
    }

    private static JsonArray Terms(JsonNode pod) =>
        pod["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]!.AsArray();

    private static bool HasRequirement(JsonNode term, string key, string op, params string[] values) =>
        term["matchExpressions"]!.AsArray().Any(e =>
            e!["key"]!.GetValue<string>() == key &&
            e["operator"]!.GetValue<string>() == op &&
            (e["values"]?.AsArray().Select(v => v!.GetValue<string>()).SequenceEqual(values) ?? values.Length == 0));

    [Fact]
    public void Plain_pod_gets_affinity_label_and_deletion_cost_with_the_structure_created()
    {
        var context = AllSpot();
        var pod = TestPods.DeploymentPod();

        var answer = context.Admit(pod);

        Assert.True(answer.Allowed);
        Assert.Equal(AdmissionResultKind.Patched, answer.Result.Kind);
        var terms = Terms(answer.Patched!);
        Assert.Single(terms);
        Assert.True(HasRequirement(terms[0]!, "karpenter.sh/capacity-type", "In", "spot"));
        Assert.Equal("spot", answer.CapacityType);
        Assert.Equal("api", answer.Patched!["metadata"]!["labels"]!["app"]!.GetValue<string>());
        var cost = answer.Patched["metadata"]!["annotations"]![SpotalisKeys.PodDeletionCost]!.GetValue<string>();
        Assert.True(int.TryParse(cost, out _), $"deletion cost '{cost}' must be an integer");
        Assert.Null(answer.Patched["metadata"]!["annotations"]![SpotalisKeys.Fallback]);
        Assert.Equal(1, context.RequestCount("patched"));
        Assert.Equal(1, context.DecisionCount("spot"));
    }

    [Fact]
    public void Existing_node_selector_is_kept_and_affinity_added_beside_it()
    {
        var context = AllSpot();
        var pod = TestPods.DeploymentPod();
        pod["spec"]!["nodeSelector"] = new JsonObject { ["kubernetes.io/arch"] = "arm64", ["topology.kubernetes.io/zone"] = "eu-west-1a" };

        var answer = context.Admit(pod);

        var selector = answer.Patched!["spec"]!["nodeSelector"]!.AsObject();
        Assert.Equal(2, selector.Count);
        Assert.Equal("arm64", selector["kubernetes.io/arch"]!.GetValue<string>());
        Assert.True(HasRequirement(Terms(answer.Patched)[0]!, "karpenter.sh/capacity-type", "In", "spot"));
    }

    [Fact]
    public void Requirement_is_merged_into_every_required_term_and_nothing_else_changes()
    {
        var context = AllSpot();
        var pod = TestPods.DeploymentPod();
        pod["spec"]!["affinity"] = JsonNode.Parse("""
            {
              "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                  "nodeSelectorTerms": [
                    { "matchExpressions": [ { "key": "topology.kubernetes.io/zone", "operator": "In", "values": ["a", "b"] } ] },
                    { "matchExpressions": [ { "key": "node.kubernetes.io/instance-type", "operator": "In", "values": ["m5.large"] } ] },
                    { "matchFields": [ { "key": "metadata.name", "operator": "In", "values": ["node-7"] } ] }
                  ]
                },
                "preferredDuringSchedulingIgnoredDuringExecution": [
                  { "weight": 10, "preference": { "matchExpressions": [ { "key": "disk", "operator": "In", "values": ["ssd"] } ] } }
                ]
              },
              "podAntiAffinity": { "preferredDuringSchedulingIgnoredDuringExecution": [] }
            }
            """);

        var answer = context.Admit(pod);

        var terms = Terms(answer.Patched!);
        Assert.Equal(3, terms.Count);
        Assert.All(terms, t => Assert.True(HasRequirement(t!, "karpenter.sh/capacity-type", "In", "spot")));
        Assert.True(HasRequirement(terms[0]!, "topology.kubernetes.io/zone", "In", "a", "b"));
        Assert.True(HasRequirement(terms[1]!, "node.kubernetes.io/instance-type", "In", "m5.large"));
        Assert.Equal("node-7", terms[2]!["matchFields"]![0]!["values"]![0]!.GetValue<string>());
        var preferred = answer.Patched!["spec"]!["affinity"]!["nodeAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]!.AsArray();
        Assert.Single(preferred);
        Assert.NotNull(answer.Patched["spec"]!["affinity"]!["podAntiAffinity"]);
    }

    [Fact]
    public void Affinity_without_node_affinity_gets_it_added_without_losing_pod_anti_affinity()
    {
        var context = AllSpot();
        var pod = TestPods.DeploymentPod();
        pod["spec"]!["affinity"] = JsonNode.Parse("""{ "podAntiAffinity": { "requiredDuringSchedulingIgnoredDuringExecution": [ { "topologyKey": "kubernetes.io/hostname", "labelSelector": { "matchLabels": { "app": "api" } } } ] } }""");

        var answer = context.Admit(pod);

        Assert.Equal("kubernetes.io/hostname", answer.Patched!["spec"]!["affinity"]!["podAntiAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]![0]!["topologyKey"]!.GetValue<string>());
        Assert.True(HasRequirement(Terms(answer.Patched)[0]!, "karpenter.sh/capacity-type", "In", "spot"));
    }

    [Fact]
    public void Spot_tolerations_are_appended_to_existing_ones_without_duplicates()
    {
        var context = AllSpot(NodePresets.Aks);
        Assert.NotEmpty(NodePresets.Aks.SpotTolerations);
        var spotToleration = NodePresets.Aks.SpotTolerations[0];
        var pod = TestPods.DeploymentPod();
        pod["spec"]!["tolerations"] = new JsonArray(
            new JsonObject { ["key"] = "dedicated", ["operator"] = "Equal", ["value"] = "shop", ["effect"] = "NoSchedule" });

        var first = context.Admit(pod);
        var tolerations = first.Patched!["spec"]!["tolerations"]!.AsArray();
        Assert.Equal(1 + NodePresets.Aks.SpotTolerations.Count, tolerations.Count);
        Assert.Equal("dedicated", tolerations[0]!["key"]!.GetValue<string>());
        Assert.Contains(tolerations, t => t!["key"]!.GetValue<string>() == spotToleration.Key && t["effect"]!.GetValue<string>() == spotToleration.Effect);

        // A pod that already tolerates the spot taint gets no second copy.
        var tolerating = TestPods.DeploymentPod();
        tolerating["spec"]!["tolerations"] = new JsonArray(new JsonObject
        {
            ["key"] = spotToleration.Key,
            ["operator"] = "Exists",
            ["effect"] = spotToleration.Effect,
        });
        var second = context.Admit(tolerating);
        Assert.Single(second.Patched!["spec"]!["tolerations"]!.AsArray());
    }

    [Fact]
    public void On_demand_placement_adds_no_spot_toleration()
    {
        var context = new WebhookTestContext(NodePresets.Aks);
        context.View.AddDeployment("shop", "api", 10, WebhookTestContext.OptedIn, WebhookTestContext.Split(0));

        var answer = context.Admit(TestPods.DeploymentPod());

        Assert.Equal("on-demand", answer.CapacityType);
        Assert.Null(answer.Patched!["spec"]!["tolerations"]);
        Assert.Equal(1, context.DecisionCount("on-demand"));
    }

    [Fact]
    public void Keys_with_slash_and_tilde_are_escaped_and_existing_ones_survive()
    {
        var context = AllSpot();
        var pod = TestPods.DeploymentPod();
        pod["metadata"]!["labels"]!["example.com/a~b"] = "x";
        pod["metadata"]!["annotations"] = new JsonObject { ["team.example.com/owner~1"] = "payments" };

        var answer = context.Admit(pod);

        var paths = answer.Patch!.Select(op => op!["path"]!.GetValue<string>()).ToList();
        Assert.Contains("/metadata/labels/spotalis.io~1capacity-type", paths);
        Assert.Contains("/metadata/annotations/controller.kubernetes.io~1pod-deletion-cost", paths);
        Assert.Equal("x", answer.Patched!["metadata"]!["labels"]!["example.com/a~b"]!.GetValue<string>());
        Assert.Equal("payments", answer.Patched["metadata"]!["annotations"]!["team.example.com/owner~1"]!.GetValue<string>());
        Assert.Equal("spot", answer.CapacityType);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("spotalis.io/capacity-type", "spotalis.io~1capacity-type")]
    [InlineData("a~b", "a~0b")]
    [InlineData("~/", "~0~1")]
    [InlineData("x/~1", "x~1~01")]
    public void Json_pointer_tokens_escape_tilde_before_slash(string key, string expected) =>
        Assert.Equal(expected, JsonPointer.Escape(key));

    [Fact]
    public void Init_containers_and_containers_are_never_touched()
    {
        var context = AllSpot();
        var pod = TestPods.DeploymentPod();
        pod["spec"]!["initContainers"] = new JsonArray(new JsonObject { ["name"] = "migrate", ["image"] = "api:1.2.3", ["command"] = new JsonArray("migrate") });
        var before = pod["spec"]!.DeepClone();

        var answer = context.Admit(pod);

        Assert.True(JsonNode.DeepEquals(before["initContainers"], answer.Patched!["spec"]!["initContainers"]));
        Assert.True(JsonNode.DeepEquals(before["containers"], answer.Patched["spec"]!["containers"]));
        Assert.All(answer.Patch!, op => Assert.DoesNotContain("ontainers", op!["path"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public void Pod_without_labels_or_annotations_gets_both_maps_created()
    {
        var context = AllSpot();
        var pod = TestPods.DeploymentPod();
        pod["metadata"]!.AsObject().Remove("labels");

        var answer = context.Admit(pod);

        Assert.Equal("spot", answer.CapacityType);
        Assert.Contains(answer.Patch!, op => op!["path"]!.GetValue<string>() == "/metadata/labels");
        Assert.Contains(answer.Patch!, op => op!["path"]!.GetValue<string>() == "/metadata/annotations");
    }

    [Fact]
    public void Node_selector_pinning_the_other_capacity_type_leaves_the_pod_alone_and_says_why()
    {
        var context = AllSpot();
        var pod = TestPods.DeploymentPod();
        pod["spec"]!["nodeSelector"] = new JsonObject { ["karpenter.sh/capacity-type"] = "on-demand" };

        var answer = context.Admit(pod);

        Assert.True(answer.Allowed);
        Assert.Null(answer.Patch);
        Assert.Equal(AdmissionResultKind.Skipped, answer.Result.Kind);
        Assert.Contains("nodeSelector karpenter.sh/capacity-type=on-demand", answer.Result.Reason, StringComparison.Ordinal);
        Assert.Equal(1, context.RequestCount("skipped"));
        Assert.Equal(0, context.DecisionCount("spot"));
    }

    [Fact]
    public void Affinity_contradicting_in_every_term_leaves_the_pod_alone_but_one_open_term_is_enough_to_patch()
    {
        var context = AllSpot();
        var allPinned = TestPods.DeploymentPod();
        allPinned["spec"]!["affinity"] = JsonNode.Parse("""
            { "nodeAffinity": { "requiredDuringSchedulingIgnoredDuringExecution": { "nodeSelectorTerms": [
              { "matchExpressions": [ { "key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand"] } ] },
              { "matchExpressions": [ { "key": "karpenter.sh/capacity-type", "operator": "NotIn", "values": ["spot"] } ] }
            ] } } }
            """);
        var oneOpen = TestPods.DeploymentPod();
        oneOpen["spec"]!["affinity"] = JsonNode.Parse("""
            { "nodeAffinity": { "requiredDuringSchedulingIgnoredDuringExecution": { "nodeSelectorTerms": [
              { "matchExpressions": [ { "key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand"] } ] },
              { "matchExpressions": [ { "key": "topology.kubernetes.io/zone", "operator": "In", "values": ["a"] } ] }
            ] } } }
            """);

        var skipped = context.Admit(allPinned);
        var patched = context.Admit(oneOpen);

        Assert.Null(skipped.Patch);
        Assert.Contains("every required node-affinity term", skipped.Result.Reason, StringComparison.Ordinal);
        Assert.Equal("spot", patched.CapacityType);
        Assert.All(Terms(patched.Patched!), t => Assert.True(HasRequirement(t!, "karpenter.sh/capacity-type", "In", "spot")));
    }

    [Fact]
    public void Requirement_already_present_in_a_term_is_not_added_twice()
    {
        var context = AllSpot();
        var pod = TestPods.DeploymentPod();
        pod["spec"]!["affinity"] = JsonNode.Parse("""
            { "nodeAffinity": { "requiredDuringSchedulingIgnoredDuringExecution": { "nodeSelectorTerms": [
              { "matchExpressions": [ { "key": "karpenter.sh/capacity-type", "operator": "In", "values": ["spot"] } ] }
            ] } } }
            """);

        var answer = context.Admit(pod);

        Assert.Single(Terms(answer.Patched!)[0]!["matchExpressions"]!.AsArray());
        Assert.Equal("spot", answer.CapacityType);
    }

    [Fact]
    public void Gke_on_demand_steering_uses_does_not_exist_without_values()
    {
        var context = new WebhookTestContext(NodePresets.Gke);
        context.View.AddDeployment("shop", "api", 10, WebhookTestContext.OptedIn, WebhookTestContext.Split(0));

        var answer = context.Admit(TestPods.DeploymentPod());

        var expressions = Terms(answer.Patched!)[0]!["matchExpressions"]!.AsArray();
        var steering = NodePresets.Gke.OnDemandSteering.RequiredNodeAffinity;
        Assert.Equal(steering.Count, expressions.Count);
        var doesNotExist = expressions.First(e => e!["operator"]!.GetValue<string>() == "DoesNotExist");
        Assert.Null(doesNotExist!["values"]);
        Assert.Equal("on-demand", answer.CapacityType);
    }
}
