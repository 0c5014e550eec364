using System.Text.Json.Nodes;
using Spotalis.Commands;
using Spotalis.Testing;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>
/// Driving a running <c>spotalis sim serve</c> from outside, with real processes and the real kubectl:
/// <c>spotalis sim outage start|stop</c>, <c>spotalis sim interrupt</c>, and a Karpenter NodePool that forbids spot.
/// </summary>
public sealed class SimControlCommandTests
{
    // 3 CPU per pod on 4-CPU nodes: every pod needs a node of its own, so each one shows whether a node was launched.
    private const string SpotOnly = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: batch}
        spec:
          replicas: 2
          selector: {matchLabels: {app: batch}}
          template:
            metadata: {labels: {app: batch}}
            spec:
              nodeSelector: {karpenter.sh/capacity-type: spot}
              containers: [{name: app, image: nginx, resources: {requests: {cpu: "3"}}}]
        """;

    // Created after the spot pods: once both of its pods run, a node was launched for it, so the provisioner had
    // already looked at the (older) spot pods and decided not to launch for them.
    private const string OnDemandProbe = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: probe}
        spec:
          replicas: 2
          selector: {matchLabels: {app: probe}}
          template:
            metadata: {labels: {app: probe}}
            spec:
              nodeSelector: {karpenter.sh/capacity-type: on-demand}
              containers: [{name: app, image: nginx, resources: {requests: {cpu: "3"}}}]
        """;

    [Fact]
    public async Task Outage_start_spot_keeps_spot_pods_pending_and_outage_stop_lets_them_schedule()
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        await using var serve = await CliProcess.StartSimServeAsync(kubeconfig, "--spot-nodes", "0", "--on-demand-nodes", "1", "--provisioning-delay", "2");

        var (code, output, error) = await CliRunner.RunAsync("sim", "outage", "start", "spot", "--kubeconfig", kubeconfig);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("Capacity outage started in spot", output, StringComparison.Ordinal);
        await Kubectl.RunWithInputAsync(kubeconfig, SpotOnly, "apply", "-f", "-");

        await Eventually.TrueAsync(async () => Unschedulable(await Pods(kubeconfig)) == 2, "both pods to be reported Unschedulable");
        await Kubectl.RunWithInputAsync(kubeconfig, OnDemandProbe, "apply", "-f", "-");
        await Eventually.TrueAsync(async () => Running(await Pods(kubeconfig, "probe")) == 2, "the later on-demand probe pods to get a launched node");
        var pools = await CliRunner.RunAsync("sim", "pools", "--kubeconfig", kubeconfig);
        Assert.Matches(@"spot\s+spot\s+0\s+0\s+\d+\s+yes", pools.Output);
        Assert.Empty(await Kubectl.RunAsync(kubeconfig, "get", "nodes", "-l", "karpenter.sh/capacity-type=spot", "-o", "name"));

        (code, output, error) = await CliRunner.RunAsync("sim", "outage", "stop", "spot", "--kubeconfig", kubeconfig);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("Capacity outage ended in spot", output, StringComparison.Ordinal);

        await Eventually.TrueAsync(async () => Running(await Pods(kubeconfig)) == 2, "both pods to run on new spot nodes");
        Assert.Equal(2, (await Kubectl.RunAsync(kubeconfig, "get", "nodes", "-l", "karpenter.sh/capacity-type=spot", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Sim_interrupt_taints_a_spot_node_and_refuses_an_on_demand_one_and_an_unknown_target_is_a_usage_error()
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        await using var serve = await CliProcess.StartSimServeAsync(kubeconfig, "--spot-nodes", "1", "--on-demand-nodes", "1");
        var spotNode = (await Kubectl.RunAsync(kubeconfig, "get", "nodes", "-l", "karpenter.sh/capacity-type=spot", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        var onDemandNode = (await Kubectl.RunAsync(kubeconfig, "get", "nodes", "-l", "karpenter.sh/capacity-type=on-demand", "-o", "jsonpath={.items[0].metadata.name}")).Trim();

        var interrupted = await CliRunner.RunAsync("sim", "interrupt", spotNode, "--kubeconfig", kubeconfig);
        var refused = await CliRunner.RunAsync("sim", "interrupt", onDemandNode, "--kubeconfig", kubeconfig);
        var unknown = await CliRunner.RunAsync("sim", "outage", "start", "gpu", "--kubeconfig", kubeconfig);

        Assert.True(interrupted.ExitCode == ExitCodes.Ok, interrupted.Error);
        Assert.Contains("interruption notice until", interrupted.Output, StringComparison.Ordinal);
        Assert.Contains("karpenter.sh/disrupted", await Kubectl.RunAsync(kubeconfig, "get", "node", spotNode, "-o", "jsonpath={.spec.taints}"), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        Assert.Contains("on-demand pool", refused.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, unknown.ExitCode);
        Assert.Contains("no pool and no capacity type named \"gpu\"", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_NodePool_applied_with_kubectl_that_forbids_spot_never_gets_a_spot_node_launched()
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        await using var serve = await CliProcess.StartSimServeAsync(kubeconfig, "--spot-nodes", "0", "--on-demand-nodes", "1", "--provisioning-delay", "1");
        await Kubectl.RunWithInputAsync(kubeconfig, """
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata: {name: spot}
            spec:
              template:
                spec:
                  requirements:
                    - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
                  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
            """, "apply", "-f", "-");
        await Eventually.TrueAsync(
            async () => (await Kubectl.RunAsync(kubeconfig, "get", "simulatedpool", "spot", "-o", "jsonpath={.status.launchAllowed}")).Trim() == "false",
            "the spot pool to take the NodePool's requirements");

        await Kubectl.RunWithInputAsync(kubeconfig, SpotOnly, "apply", "-f", "-");

        await Eventually.TrueAsync(async () => Unschedulable(await Pods(kubeconfig)) == 2, "both pods to be reported Unschedulable");
        await Kubectl.RunWithInputAsync(kubeconfig, OnDemandProbe, "apply", "-f", "-");
        await Eventually.TrueAsync(async () => Running(await Pods(kubeconfig, "probe")) == 2, "the later on-demand probe pods to get a launched node");
        Assert.Equal(2, Unschedulable(await Pods(kubeconfig)));
        var pool = JsonNode.Parse(await Kubectl.RunAsync(kubeconfig, "get", "simulatedpool", "spot", "-o", "json"))!;
        Assert.Equal(0, pool["status"]!["launching"]!.GetValue<int>());
        Assert.Contains("requires karpenter.sh/capacity-type in [on-demand]", pool["status"]!["launchBlockedBy"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await Kubectl.RunAsync(kubeconfig, "get", "nodes", "-l", "karpenter.sh/capacity-type=spot", "-o", "name"));
    }

    [Theory]
    [InlineData("karpenter", "karpenter.sh/capacity-type=spot", true)]
    [InlineData("eks", "eks.amazonaws.com/capacityType=SPOT", false)]
    [InlineData("gke", "cloud.google.com/gke-spot=true", false)]
    [InlineData("aks", "kubernetes.azure.com/scalesetpriority=spot", false)]
    public async Task Each_preset_carries_only_its_providers_labels_and_only_Karpenter_serves_NodePools(string preset, string spotSelector, bool karpenter)
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        await using var serve = await CliProcess.StartSimServeAsync(kubeconfig, "--preset", preset, "--spot-nodes", "1", "--on-demand-nodes", "1");

        var nodes = JsonNode.Parse(await Kubectl.RunAsync(kubeconfig, "get", "nodes", "-o", "json"))!["items"]!.AsArray();
        var spot = JsonNode.Parse(await Kubectl.RunAsync(kubeconfig, "get", "nodes", "-l", spotSelector, "-o", "json"))!["items"]!.AsArray();
        var apiResources = await Kubectl.RunAsync(kubeconfig, "api-resources", "-o", "name");

        Assert.Single(spot);
        Assert.All(nodes, n => Assert.Equal(
            karpenter,
            n!["metadata"]!["labels"]!.AsObject().Any(l => l.Key.StartsWith("karpenter.sh/", StringComparison.Ordinal))));
        Assert.Equal(karpenter, apiResources.Contains("nodepools.karpenter.sh", StringComparison.Ordinal));
        Assert.Contains("simulatedpools.sim.spotalis.io", apiResources, StringComparison.Ordinal);
        var spotTaints = spot[0]!["spec"]!["taints"]?.ToJsonString() ?? string.Empty;
        Assert.Equal(preset == "aks", spotTaints.Contains("kubernetes.azure.com/scalesetpriority", StringComparison.Ordinal));
    }

    private static async Task<List<JsonNode>> Pods(string kubeconfig, string app = "batch") =>
        [.. JsonNode.Parse(await Kubectl.RunAsync(kubeconfig, "get", "pods", "-l", "app=" + app, "-o", "json"))!["items"]!.AsArray().Select(p => p!)];

    private static int Running(List<JsonNode> pods) => pods.Count(p => p["status"]?["phase"]?.GetValue<string>() == "Running");

    private static int Unschedulable(List<JsonNode> pods) => pods.Count(p =>
        (p["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == "PodScheduled" && c["reason"]?.GetValue<string>() == "Unschedulable"));
}
