using System.Globalization;
using System.Text.Json.Nodes;
using Spotalis.Testing;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary><c>sim serve</c> + the kustomize base + <c>spotalis run</c>, its webhook answering through the Service.</summary>
internal sealed class PlacementProcessCluster : IAsyncDisposable
{
    /// <summary>An opted-in Deployment of 6 replicas at 50 % spot, at least 1 on-demand.</summary>
    public const string Web = """
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

    private readonly TemporaryDirectory _directory;
    private readonly CliProcess _serve;

    private PlacementProcessCluster(TemporaryDirectory directory, CliProcess serve, CliProcess run, string kubeconfig)
    {
        _directory = directory;
        _serve = serve;
        Operator = run;
        Kubeconfig = kubeconfig;
    }

    public string Kubeconfig { get; }

    public CliProcess Operator { get; }

    public static async Task<PlacementProcessCluster> StartAsync(IReadOnlyDictionary<string, string> settings)
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
        var cluster = new PlacementProcessCluster(directory, serve, run, kubeconfig);
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
