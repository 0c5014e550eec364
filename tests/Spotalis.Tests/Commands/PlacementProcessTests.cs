using System.Globalization;
using System.Text.Json.Nodes;
using Spotalis.Testing;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>
/// Issue 13 "Done when" with real processes: <c>spotalis sim serve</c>, the shipped kustomize base applied with
/// kubectl, <c>spotalis run</c> with its webhook reached through the Service, driven with kubectl and <c>spotalis sim</c>.
/// </summary>
public sealed class PlacementProcessTests
{
    private const string Web = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {spotalis.io/enabled: "true", app: web}
          annotations: {spotalis.io/spot-percentage: "50", spotalis.io/min-on-demand: "1"}
        spec:
          replicas: 6
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web, spotalis.io/enabled: "true"}}
            spec: {containers: [{name: app, image: nginx, resources: {requests: {cpu: 100m}}}]}
        """;

    [Fact]
    public async Task A_spot_drought_falls_back_within_30s_holds_for_2_minutes_and_is_reclaimed_when_spot_returns()
    {
        await using var cluster = await ProcessCluster.StartAsync(new Dictionary<string, string>
        {
            ["SPOTALIS_CONTROLLERS_FALLBACK_AFTER"] = "20s",
            // Longer than the two-minute check below, so no reclaim probe falls into it.
            ["SPOTALIS_CONTROLLERS_RECLAIM_AFTER"] = "180s",
        });
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, Web, "apply", "-f", "-");
        await Eventually.TrueAsync(async () => await cluster.SplitAsync() == (3, 3, 0), "web at 3 spot / 3 on-demand");

        // The drought: no spot node can be launched, and the spot node is gone at once (no two-minute notice).
        await cluster.SimAsync("outage", "start", "spot");
        var droughtStarted = DateTimeOffset.UtcNow;
        foreach (var node in await cluster.NodesAsync("spot"))
        {
            await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "delete", "node", node);
        }

        await cluster.WaitAsync(async () => await cluster.SplitAsync() == (0, 6, 0), "web to fall back to 0 spot / 6 on-demand", 120);
        Assert.True(DateTimeOffset.UtcNow - droughtStarted < TimeSpan.FromSeconds(20 + 30),
            $"fell back {DateTimeOffset.UtcNow - droughtStarted} after the drought started (fallbackAfter 20s + 30s)");

        var status = await cluster.CliAsync("status", "-n", "default");
        Assert.Contains("Fallback", status, StringComparison.Ordinal);
        Assert.Contains("webhook: in the admission path", status, StringComparison.Ordinal);

        // It holds: no pod is placed on spot while the drought lasts, checked every second for two minutes.
        var until = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTimeOffset.UtcNow < until)
        {
            var pods = await cluster.LivePodsAsync();
            Assert.DoesNotContain(pods, p => p["metadata"]?["labels"]?["spotalis.io/capacity-type"]?.GetValue<string>() == "spot");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await cluster.SimAsync("outage", "stop", "spot");
        await cluster.WaitAsync(async () => await cluster.SplitAsync() == (3, 3, 0), "web reclaimed to 3 spot / 3 on-demand", 240);
        var events = await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "get", "events.events.k8s.io", "-o", "json");
        Assert.Contains("ReclaimingSpot", events, StringComparison.Ordinal);
        Assert.Contains("FallbackToOnDemand", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_webhook_Service_is_reported_within_a_minute_and_nothing_is_evicted()
    {
        await using var cluster = await ProcessCluster.StartAsync(new Dictionary<string, string> { ["SPOTALIS_WEBHOOK_PATH_CHECK_INTERVAL"] = "20s" });
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, Web, "apply", "-f", "-");
        await Eventually.TrueAsync(async () => await cluster.SplitAsync() == (3, 3, 0), "web at 3 spot / 3 on-demand");

        // The Service no longer selects the operator: the API server cannot reach the webhook (failurePolicy Ignore).
        await Eventually.TrueAsync(() => cluster.Operator.Lines.Any(l => l.Contains("in the admission path again", StringComparison.Ordinal)) ||
                                         !cluster.Operator.Lines.Any(l => l.Contains("not in the admission path", StringComparison.Ordinal)),
            "the start-up check to pass");
        var reportsBefore = cluster.Operator.Lines.Count(l => l.Contains("The webhook is not in the admission path", StringComparison.Ordinal));
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "-n", "spotalis-system", "patch", "service", "spotalis-webhook", "--type", "merge",
            "-p", """{"spec":{"selector":{"app.kubernetes.io/name":"nobody"},"ports":[{"name":"https","port":443,"targetPort":1}]}}""");
        var broken = DateTimeOffset.UtcNow;
        await Eventually.TrueAsync(() => cluster.Operator.Lines.Count(l => l.Contains("The webhook is not in the admission path", StringComparison.Ordinal)) > reportsBefore,
            "the operator to report the webhook out of the path", 60);
        Assert.True(DateTimeOffset.UtcNow - broken < TimeSpan.FromSeconds(60));

        // A new split would need moves; none is made while replacements could not be placed.
        var evictedBefore = cluster.Operator.Lines.Count(l => l.Contains("Evicted ", StringComparison.Ordinal));
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "annotate", "deployment", "web", "--overwrite", "spotalis.io/spot-percentage=100");
        var warned = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (!(await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "get", "events.events.k8s.io", "-o", "json")).Contains("PlacementNotSteered", StringComparison.Ordinal))
        {
            Assert.True(DateTimeOffset.UtcNow < warned, "no PlacementNotSteered Warning within 60 s; the operator said:\n" + string.Join('\n', cluster.Operator.Lines.TakeLast(40)));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        await Task.Delay(TimeSpan.FromSeconds(15));
        Assert.Equal(evictedBefore, cluster.Operator.Lines.Count(l => l.Contains("Evicted ", StringComparison.Ordinal)));
        // A separate `spotalis status` judges the workload as the operator does: its moves are not steered.
        var status = await cluster.CliAsync("status", "-n", "default");
        Assert.Contains("webhook: NOT in the admission path", status, StringComparison.Ordinal);
        Assert.Contains("Placement not steered", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_PodDisruptionBudget_that_allows_no_eviction_shows_as_BlockedByPdb_in_status_and_deleting_it_lets_the_workload_rebalance()
    {
        await using var cluster = await ProcessCluster.StartAsync(new Dictionary<string, string>());
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, Web, "apply", "-f", "-");
        await Eventually.TrueAsync(async () => await cluster.SplitAsync() == (3, 3, 0), "web at 3 spot / 3 on-demand");
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec:
              maxUnavailable: 0
              selector: {matchLabels: {app: web}}
            """, "apply", "-f", "-");
        await Eventually.TrueAsync(
            async () => await Kubectl.RunAsync(cluster.Kubeconfig, "get", "pdb", "web", "-o", "jsonpath={.status.observedGeneration}/{.status.disruptionsAllowed}") == "1/0",
            "the budget's status to allow no disruption");

        // The new split needs two on-demand pods moved to spot; the budget refuses every eviction.
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "annotate", "deployment", "web", "--overwrite", "spotalis.io/spot-percentage=100");
        await cluster.WaitAsync(async () => (await cluster.CliAsync("status", "-n", "default", "-o", "json")).Contains("\"BlockedByPdb\"", StringComparison.Ordinal),
            "spotalis status to show BlockedByPdb", 60);
        var json = await cluster.CliAsync("status", "-n", "default", "-o", "json");
        Assert.Contains("PodDisruptionBudget web allows no disruption now", json, StringComparison.Ordinal);
        Assert.Contains("Blocked by PDB", await cluster.CliAsync("status", "-n", "default"), StringComparison.Ordinal);
        Assert.Equal((3, 3, 0), await cluster.SplitAsync());

        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "delete", "pdb", "web");
        await cluster.WaitAsync(async () => await cluster.SplitAsync() == (5, 1, 0), "web to rebalance to 5 spot / 1 on-demand once the budget is gone", 180);
        await cluster.WaitAsync(async () => (await cluster.CliAsync("status", "-n", "default", "-o", "json")).Contains("\"Balanced\"", StringComparison.Ordinal),
            "spotalis status to show Balanced", 60);
    }

    /// <summary><c>sim serve</c> + the kustomize base + <c>spotalis run</c>, its webhook answering through the Service.</summary>
    private sealed class ProcessCluster : IAsyncDisposable
    {
        private readonly TemporaryDirectory _directory;
        private readonly CliProcess _serve;

        private ProcessCluster(TemporaryDirectory directory, CliProcess serve, CliProcess run, string kubeconfig)
        {
            _directory = directory;
            _serve = serve;
            Operator = run;
            Kubeconfig = kubeconfig;
        }

        public string Kubeconfig { get; }

        public CliProcess Operator { get; }

        public static async Task<ProcessCluster> StartAsync(IReadOnlyDictionary<string, string> settings)
        {
            var directory = new TemporaryDirectory();
            var kubeconfig = directory.File("kubeconfig");
            var serve = await CliProcess.StartSimServeAsync(kubeconfig, "--spot-nodes", "1", "--on-demand-nodes", "2", "--provisioning-delay", "1");
            await Kubectl.RunAsync(kubeconfig, "apply", "-k", Path.Combine(RepositoryPaths.Root, "deploy", "kustomize", "base"));
            var port = CliProcess.FreePort();
            await Kubectl.RunAsync(kubeconfig, "-n", "spotalis-system", "patch", "deployment", "spotalis", "--type", "json",
                "-p", $$"""[{"op":"replace","path":"/spec/template/spec/containers/0/ports/0/containerPort","value":{{port}}}]""");
            var environment = new Dictionary<string, string> { ["SPOTALIS_WEBHOOK_PATH_CHECK_INTERVAL"] = "10s" };
            foreach (var (key, value) in settings)
            {
                environment[key] = value;
            }

            var run = CliProcess.StartOperator(kubeconfig, int.Parse(port, CultureInfo.InvariantCulture), environment);
            var cluster = new ProcessCluster(directory, serve, run, kubeconfig);
            await Eventually.TrueAsync(
                async () => (await Kubectl.RunAsync(kubeconfig, "get", "mutatingwebhookconfiguration", "spotalis", "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}")).Length > 0,
                "spotalis run to write the caBundle");

            // Wait until a (dry-run) pod is answered by the freshly started process within the webhook's timeout.
            await Eventually.TrueAsync(
                async () =>
                {
                    var failures = serve.Lines.Count(l => l.Contains("Webhook call failed", StringComparison.Ordinal));
                    await Kubectl.RunAsync(kubeconfig, "run", "warm-up", "--image=nginx", "--labels=spotalis.io/enabled=true", "--dry-run=server");
                    return serve.Lines.Count(l => l.Contains("Webhook call failed", StringComparison.Ordinal)) == failures;
                },
                "the webhook to answer");
            return cluster;
        }

        /// <summary>Waits for a condition; on timeout the failure shows the operator's last log lines.</summary>
        public async Task WaitAsync(Func<Task<bool>> condition, string what, int timeoutSeconds)
        {
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(timeoutSeconds);
            while (!await condition())
            {
                Assert.True(DateTimeOffset.UtcNow < deadline,
                    $"timed out after {timeoutSeconds} s waiting for {what}; now {await SplitAsync()}; spotalis run said:\n{string.Join('\n', Operator.Lines.TakeLast(30))}");
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }

        public Task<string> SimAsync(params string[] arguments) => CliAsync(["sim", .. arguments, "--kubeconfig", Kubeconfig]);

        public async Task<string> CliAsync(params string[] arguments)
        {
            var withConfig = arguments[0] == "sim" ? arguments : [.. arguments, "--kubeconfig", Kubeconfig];
            await using var process = CliProcess.Start(null, withConfig);
            await Eventually.TrueAsync(() => process.HasExited, $"spotalis {string.Join(' ', arguments)} to finish", 60);
            return string.Join('\n', process.Lines);
        }

        public async Task<List<string>> NodesAsync(string capacityType)
        {
            var nodes = JsonNode.Parse(await Kubectl.RunAsync(Kubeconfig, "get", "nodes", "-l", "karpenter.sh/capacity-type=" + capacityType, "-o", "json"))!;
            return [.. nodes["items"]!.AsArray().Select(n => n!["metadata"]!["name"]!.GetValue<string>())];
        }

        public async Task<List<JsonNode>> LivePodsAsync()
        {
            var pods = JsonNode.Parse(await Kubectl.RunAsync(Kubeconfig, "get", "pods", "-l", "app=web", "-o", "json"))!;
            return [.. pods["items"]!.AsArray().Select(p => p!).Where(p => p["metadata"]?["deletionTimestamp"] is null)];
        }

        /// <summary>Running pods on spot and on-demand nodes, and pods not running, as kubectl sees them.</summary>
        public async Task<(int Spot, int OnDemand, int NotRunning)> SplitAsync()
        {
            var nodes = JsonNode.Parse(await Kubectl.RunAsync(Kubeconfig, "get", "nodes", "-o", "json"))!["items"]!.AsArray()
                .ToDictionary(n => n!["metadata"]!["name"]!.GetValue<string>(), n => n!["metadata"]!["labels"]?["karpenter.sh/capacity-type"]?.GetValue<string>());
            int spot = 0, onDemand = 0, notRunning = 0;
            foreach (var pod in await LivePodsAsync())
            {
                var node = pod["spec"]?["nodeName"]?.GetValue<string>();
                var running = pod["status"]?["phase"]?.GetValue<string>() == "Running";
                if (!running || node is null || !nodes.TryGetValue(node, out var type))
                {
                    notRunning++;
                }
                else if (type == "spot")
                {
                    spot++;
                }
                else
                {
                    onDemand++;
                }
            }

            return (spot, onDemand, notRunning);
        }

        public async ValueTask DisposeAsync()
        {
            await Operator.DisposeAsync();
            await _serve.DisposeAsync();
            _directory.Dispose();
        }
    }
}
