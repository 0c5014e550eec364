using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s;
using Spotalis.Testing;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>
/// The real `spotalis run` process with the Go release's environment names (issue #15): Go's read-only switch gives
/// read-only mode (the worst silent-ignore case), and an unknown SPOTALIS_* variable stops startup with exit 2.
/// </summary>
public sealed class RunGoEnvironmentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private const string AllSpotDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          namespace: default
          labels: {spotalis.io/enabled: "true", app: api}
          annotations: {spotalis.io/spot-percentage: "100%"}
        spec:
          replicas: 2
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: app, image: nginx}]}
        """;

    private const string SpotNode = """
        apiVersion: v1
        kind: Node
        metadata:
          name: spot-late-1
          labels: {karpenter.sh/capacity-type: spot, kubernetes.io/hostname: spot-late-1}
        status:
          conditions: [{type: Ready, status: "True"}]
          allocatable: {cpu: "4", memory: 16Gi, pods: "110"}
          capacity: {cpu: "4", memory: 16Gi, pods: "110"}
        """;

    [Fact]
    public async Task Go_read_only_switch_reports_would_evict_and_evicts_nothing()
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        using var sim = Start(null, null, "sim", "serve", "--kubeconfig", kubeconfig, "--spot-nodes", "0", "--on-demand-nodes", "2");
        Process? run = null;
        try
        {
            Assert.Contains("listening on", await sim.StandardOutput.ReadLineAsync().WaitAsync(Patience), StringComparison.Ordinal);
            await Kubectl.RunWithInputAsync(kubeconfig, AllSpotDeployment, "apply", "-f", "-");
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            await WaitForAsync(async () => (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items.Count(p => p.Status?.Phase == "Running") == 2, "two running pods on on-demand");
            // Spot capacity appears after the pods were placed: now they sit on the wrong capacity type.
            await Kubectl.RunWithInputAsync(kubeconfig, SpotNode, "apply", "-f", "-");
            var before = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items.Select(p => p.Metadata.Uid).Order().ToArray();

            var metricsPort = LoopbackPort.Free();
            var log = new StringBuilder();
            run = Start(log, new Dictionary<string, string>
            {
                ["SPOTALIS_OPERATOR_READ_ONLY_MODE"] = "true",
                ["DISABLE_LEADER_ELECTION"] = "yes",
                ["DISABLE_WEBHOOK"] = "1",
                ["METRICS_ADDR"] = $"127.0.0.1:{metricsPort.ToString(CultureInfo.InvariantCulture)}",
                ["PROBE_ADDR"] = $"127.0.0.1:{LoopbackPort.Free().ToString(CultureInfo.InvariantCulture)}",
                ["SPOTALIS_CONTROLLERS_RECONCILE_INTERVAL"] = "1s",
                ["SPOTALIS_CONTROLLERS_WORKLOAD_COOLDOWN_PERIOD"] = "0s",
                ["SPOTALIS_LOGGING_LEVEL"] = "info",
                ["SPOTALIS_LOGGING_FORMAT"] = "console",
            }, "run", "--kubeconfig", kubeconfig);

            await WaitForAsync(async () => await DryRunsAsync(metricsPort) > 0, "a would-evict (dry_run) decision", () => log.ToString());
            var reconciles = await ReconcilesAsync(metricsPort);
            await WaitForAsync(async () => await ReconcilesAsync(metricsPort) >= reconciles + 10, "ten more reconciles", () => log.ToString());

            var after = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items.Select(p => p.Metadata.Uid).Order().ToArray();
            Assert.Equal(before, after);
            Assert.Contains("Read-only: would evict", log.ToString(), StringComparison.Ordinal);
            Assert.Contains("environment variable SPOTALIS_OPERATOR_READ_ONLY_MODE is the Go Spotalis spelling; use SPOTALIS_READ_ONLY", log.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var process in new[] { run, sim }.OfType<Process>())
            {
                if (!process.HasExited)
                {
                    using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                    await term!.WaitForExitAsync();
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await process.WaitForExitAsync(timeout.Token);
                }

                process.Dispose();
            }
        }
    }

    [Fact]
    public async Task An_unknown_SPOTALIS_variable_stops_startup_with_exit_2_and_a_suggestion()
    {
        using var process = Start(null, new Dictionary<string, string> { ["SPOTALIS_CONTROLLERS_COOLDOWNN"] = "1s" }, "run");
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("SPOTALIS_CONTROLLERS_COOLDOWNN (env): unknown variable; did you mean SPOTALIS_CONTROLLERS_COOLDOWN?", await error, StringComparison.Ordinal);
    }

    private static Process Start(StringBuilder? log, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spotalis.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        if (log is not null)
        {
            process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    private static async Task<double> MetricAsync(int port, string prefix)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics"));
            return text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static Task<double> ReconcilesAsync(int port) => MetricAsync(port, "spotalis_reconcile_total{");

    private static Task<double> DryRunsAsync(int port) => MetricAsync(port, "spotalis_evictions_total{result=\"dry_run\"}");

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, Func<string>? context = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < Patience)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"timed out waiting for {what}{(context is null ? "" : "\n" + context())}");
    }
}
