using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Operator.Cache;
using Spotalis.Simulator.Cluster;
using k8s;
using k8s.Models;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>Issue 13 item 5: <c>nodeClassifier.preset: auto</c> against clusters of different providers.</summary>
public class PresetDetectionTests
{
    private static readonly Dictionary<string, string> HalfSpot = new()
    {
        ["spotalis.io/spot-percentage"] = "50",
        ["spotalis.io/min-on-demand"] = "1",
    };

    [Theory]
    [InlineData(ProviderPreset.Eks, "eks.amazonaws.com/capacityType", "SPOT")]
    [InlineData(ProviderPreset.Aks, "kubernetes.azure.com/scalesetpriority", "spot")]
    public async Task Auto_detects_a_cluster_without_Karpenter_and_places_every_pod_without_leaving_one_pending(ProviderPreset provider, string spotLabel, string spotValue)
    {
        await using var env = await OperatorTestEnvironment.StartAsync(adjust: o => o with { Preset = provider });
        var fast = OperatorTestEnvironment.FastConfig();
        var host = await env.StartOperatorAsync(fast with { NodeClassifier = fast.NodeClassifier with { Preset = "auto" } });
        Assert.Equal(provider.ToString().ToLowerInvariant(), host.Config.NodeClassifier.Preset);

        await env.CreateDeploymentAsync("shop", "api", 4, HalfSpot);
        await OperatorTestCluster.WaitForAsync(() => Split(env, spotLabel, spotValue) == (2, 2, 0), "2 spot / 2 on-demand, none pending", TimeSpan.FromSeconds(60));

        Assert.All(env.Api.List<V1Pod>("shop"), p => Assert.True(p.Metadata.Labels.ContainsKey(SpotalisKeys.CapacityType), $"{p.Metadata.Name} was not placed"));
        Assert.Equal(WorkloadState.Balanced, host.Reconciler.Evaluate(new WorkloadRef("Deployment", "shop", "api")).State);
    }

    [Fact]
    public async Task Karpenter_NodePools_that_allow_only_on_demand_get_no_pod_steered_to_spot_and_say_why()
    {
        await using var env = await OperatorTestEnvironment.StartAsync(spotNodes: 0, onDemandNodes: 3, adjust: o => o with { EnableProvisioning = true });
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(env.KubeconfigPath));
        await client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"requirements":[{"key":"karpenter.sh/capacity-type","operator":"In","values":["on-demand"]}]}}}}""",
                V1Patch.PatchType.MergePatch),
            "karpenter.sh", "v1", "nodepools", "spot");

        var fast = OperatorTestEnvironment.FastConfig();
        var host = await env.StartOperatorAsync(fast with { NodeClassifier = fast.NodeClassifier with { Preset = "auto" } });
        await env.CreateDeploymentAsync("shop", "api", 4, HalfSpot);
        await env.WaitForSplitAsync("shop", "api", spot: 0, onDemand: 4);

        Assert.DoesNotContain(env.Api.List<V1Pod>("shop"), p => p.Metadata.Labels.TryGetValue(SpotalisKeys.CapacityType, out var c) && c == "spot");
        var evaluation = host.Reconciler.Evaluate(new WorkloadRef("Deployment", "shop", "api"));
        Assert.Equal(0, evaluation.Desired.Spot);
        Assert.Contains("no Karpenter NodePool allows karpenter.sh/capacity-type spot", evaluation.Reason, StringComparison.Ordinal);
    }

    private static (int Spot, int OnDemand, int Pending) Split(OperatorTestEnvironment env, string spotLabel, string spotValue)
    {
        var spotNodes = env.Api.List<V1Node>().Where(n => n.Metadata.Labels?.TryGetValue(spotLabel, out var v) == true && v == spotValue).Select(n => n.Metadata.Name).ToHashSet();
        var live = env.Api.List<V1Pod>("shop").Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        var running = live.Where(p => p.Status?.Phase == "Running" && p.Spec?.NodeName is not null).ToList();
        return (running.Count(p => spotNodes.Contains(p.Spec.NodeName)), running.Count(p => !spotNodes.Contains(p.Spec.NodeName)), live.Count - running.Count);
    }
}
