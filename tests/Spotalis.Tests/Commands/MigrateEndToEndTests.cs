using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using Spotalis.Commands;
using Spotalis.Testing;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>
/// Issue #15 end to end with real processes: a simulated cluster (`spotalis sim serve`) left the way a Go Spotalis
/// install leaves it, `spotalis migrate` listing each trap, `--apply` plus the manual dashboard fix, and then
/// `spotalis run` with the old Go config file converging without touching what Go never managed.
/// </summary>
public sealed class MigrateEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private const string GoConfig = """
        operator:
          namespace: spotalis-system
          readOnlyMode: false
          leaderElection:
            enabled: true
            id: spotalis-controller-leader
            leaseDuration: 15s
        controllers:
          reconcileInterval: 1s
          maxConcurrentReconciles: 2
          rateLimit:
            qps: 50
            burst: 100
          nodeClassifier:
            spotLabels:
              - matchLabels:
                  karpenter.sh/capacity-type: spot
            onDemandLabels:
              - matchLabels:
                  karpenter.sh/capacity-type: on-demand
          workloadTiming:
            cooldownPeriod: 1s
            disruptionRetryInterval: 1m
            disruptionWindowPollInterval: 10m
        webhook:
          enabled: true
          port: 9443
          certDir: /tmp/k8s-webhook-server/serving-certs
          certName: tls.crt
          keyName: tls.key
        observability:
          logging:
            level: info
            format: console
          metrics:
            enabled: true
            bindAddress: 127.0.0.1:METRICS_PORT
            path: /metrics
          health:
            enabled: true
            bindAddress: 127.0.0.1:HEALTH_PORT
            path: /healthz
        """;

    private const string GoLeftState = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: spotalis-system}
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: team-a
          labels: {spotalis.io/enabled: "true"}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: monitoring}
        ---
        # Managed by Go and here; "70%" is a Go form of 70.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: team-a
          labels: {spotalis.io/enabled: "true", app: web}
          annotations: {spotalis.io/spot-percentage: "70%", spotalis.io/min-on-demand: "1"}
        spec:
          replicas: 4
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web, spotalis.io/enabled: "true"}}
            spec: {containers: [{name: app, image: nginx}]}
        ---
        # No label of its own: Go left it alone; here the labelled namespace would opt it in.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: worker
          namespace: team-a
          labels: {app: worker}
        spec:
          replicas: 2
          selector: {matchLabels: {app: worker}}
          template:
            metadata: {labels: {app: worker}}
            spec: {containers: [{name: app, image: nginx}]}
        ---
        # The user pinned on-demand; Go's webhook overwrote the pin on every pod.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: batch
          namespace: team-a
          labels: {spotalis.io/enabled: "true", app: batch}
          annotations: {spotalis.io/spot-percentage: "50"}
        spec:
          replicas: 2
          selector: {matchLabels: {app: batch}}
          template:
            metadata: {labels: {app: batch}}
            spec:
              nodeSelector: {karpenter.sh/capacity-type: on-demand}
              containers: [{name: app, image: nginx}]
        ---
        # What Go wrote on a StatefulSet template after an eviction.
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: cache
          namespace: team-a
          labels: {spotalis.io/enabled: "true", app: cache}
          annotations: {spotalis.io/spot-percentage: "50"}
        spec:
          replicas: 2
          serviceName: cache
          selector: {matchLabels: {app: cache}}
          template:
            metadata:
              labels: {app: cache}
              annotations:
                spotalis.io/rebalance-timestamp: "2026-11-30T02:00:00Z"
                spotalis.io/desired-spot-replicas: "1"
                spotalis.io/desired-ondemand-replicas: "1"
            spec:
              tolerations:
                - {key: spot, operator: Exists, effect: NoSchedule}
                - {key: aws.amazon.com/spot, operator: Exists, effect: NoSchedule}
              containers: [{name: app, image: redis}]
        ---
        # Labelled, but in "default", which Go never managed.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: legacy
          namespace: default
          labels: {spotalis.io/enabled: "true", app: legacy}
          annotations: {spotalis.io/spot-percentage: "100"}
        spec:
          replicas: 2
          selector: {matchLabels: {app: legacy}}
          template:
            metadata: {labels: {app: legacy}}
            spec: {containers: [{name: app, image: nginx}]}
        ---
        # Left behind by helm uninstall of the Go chart (it was a post-install hook).
        apiVersion: admissionregistration.k8s.io/v1
        kind: MutatingWebhookConfiguration
        metadata: {name: spotalis-mutating-webhook}
        webhooks:
          - name: pod.spotalis.io
            admissionReviewVersions: ["v1"]
            sideEffects: None
            failurePolicy: Ignore
            timeoutSeconds: 1
            clientConfig:
              service: {name: spotalis, namespace: spotalis-system, path: /mutate-v1-pod, port: 9443}
            rules:
              - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"], scope: "*"}
            namespaceSelector:
              matchExpressions: [{key: spotalis.io/enabled, operator: In, values: ["true"]}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: spotalis-go-dashboard
          namespace: monitoring
          labels: {grafana_dashboard: "1"}
        data:
          spotalis.json: '{"panels":[{"targets":[{"expr":"sum by (namespace, workload, replica_type) (spotalis_workload_replicas{workload_type=\"Deployment\"})"}]}]}'
        """;

    private const string FixedDashboard = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: spotalis-go-dashboard
          namespace: monitoring
          labels: {grafana_dashboard: "1"}
        data:
          spotalis.json: '{"panels":[{"targets":[{"expr":"REWRITTEN"}]}]}'
        """;

    [Fact]
    public async Task Migrate_lists_every_Go_trap_apply_fixes_the_listed_ones_and_run_with_the_old_config_converges_without_surprise_evictions()
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        var healthPort = LoopbackPort.Free();
        var metricsPort = LoopbackPort.Free();
        var goConfig = directory.File("go-config.yaml");
        await File.WriteAllTextAsync(goConfig, GoConfig
            .Replace("HEALTH_PORT", healthPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("METRICS_PORT", metricsPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

        using var sim = Start(null, "sim", "serve", "--kubeconfig", kubeconfig, "--spot-nodes", "3", "--on-demand-nodes", "3");
        Process? run = null;
        try
        {
            var line = await sim.StandardOutput.ReadLineAsync().WaitAsync(Patience);
            Assert.Contains("listening on", line, StringComparison.Ordinal);
            await Kubectl.RunWithInputAsync(kubeconfig, GoLeftState, "apply", "-f", "-");
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            await WaitForAsync(async () => (await client.CoreV1.ListPodForAllNamespacesAsync()).Items.Count(p => p.Status?.Phase == "Running") >= 12, "the workloads' pods to run");

            // 1. The plan lists each trap and says action is needed.
            var (code, output, error) = await RunCliAsync("migrate", "--kubeconfig", kubeconfig, "--config", goConfig, "-o", "json");
            Assert.True(code == MigrateCommand.ActionNeeded, $"exit {code}: {error}\n{output}");
            using (var plan = JsonDocument.Parse(output))
            {
                var items = plan.RootElement.GetProperty("items").EnumerateArray()
                    .Select(i => (Kind: i.GetProperty("kind").GetString(), Subject: i.GetProperty("subject").GetString(), Apply: i.GetProperty("apply").GetString()))
                    .ToList();
                Assert.Contains(("opted-in-by-namespace", "Deployment team-a/worker"), items.Select(i => (i.Kind, i.Subject)));
                Assert.Contains(("namespace-never-managed-by-go", "Deployment default/legacy"), items.Select(i => (i.Kind, i.Subject)));
                Assert.Contains(("pinned-capacity-type", "Deployment team-a/batch"), items.Select(i => (i.Kind, i.Subject)));
                Assert.Contains(("go-statefulset-leftovers", "StatefulSet team-a/cache"), items.Select(i => (i.Kind, i.Subject)));
                Assert.Contains(("go-webhook-configuration", "MutatingWebhookConfiguration spotalis-mutating-webhook"), items.Select(i => (i.Kind, i.Subject)));
                Assert.Contains(items, i => i.Kind == "renamed-metric" && i.Subject!.StartsWith("ConfigMap monitoring/spotalis-go-dashboard", StringComparison.Ordinal));
                Assert.DoesNotContain(items, i => i.Subject is "Deployment team-a/web");
                Assert.True(plan.RootElement.GetProperty("actionNeeded").GetBoolean());
                Assert.Contains("leaseName: spotalis-controller-leader", plan.RootElement.GetProperty("config").GetProperty("yaml").GetString(), StringComparison.Ordinal);
            }

            // Nothing was changed by the plan itself.
            Assert.NotNull(await client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync("spotalis-mutating-webhook"));
            Assert.False((await client.AppsV1.ReadNamespacedDeploymentAsync("worker", "team-a")).Metadata.Labels.ContainsKey("spotalis.io/enabled"));

            // 2. Follow the plan: --apply, then the manual dashboard rewrite it printed.
            var (applyCode, applyOutput, applyError) = await RunCliAsync("migrate", "--kubeconfig", kubeconfig, "--config", goConfig, "--apply", "-o", "json");
            Assert.True(applyCode == MigrateCommand.ActionNeeded, $"exit {applyCode}: {applyError}"); // the dashboard is a manual step
            string rewritten;
            using (var applied = JsonDocument.Parse(applyOutput))
            {
                var rewrite = applied.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "renamed-metric").GetProperty("rewrite");
                rewritten = rewrite.GetProperty("rewritten").GetString()!;
                Assert.Equal("sum by (namespace, workload, capacity_type) (spotalis_workload_actual_replicas{kind=\"Deployment\"})", rewritten);
                Assert.All(applied.RootElement.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("apply").ValueKind == JsonValueKind.String),
                    i => Assert.True(i.GetProperty("applied").GetBoolean()));
            }

            Assert.Equal("false", await Kubectl.RunAsync(kubeconfig, "get", "deployment", "worker", "-n", "team-a", "-o", "jsonpath={.metadata.labels.spotalis\\.io/enabled}"));
            Assert.Equal("false", await Kubectl.RunAsync(kubeconfig, "get", "deployment", "legacy", "-n", "default", "-o", "jsonpath={.metadata.labels.spotalis\\.io/enabled}"));
            Assert.Equal("false", await Kubectl.RunAsync(kubeconfig, "get", "deployment", "batch", "-n", "team-a", "-o", "jsonpath={.metadata.labels.spotalis\\.io/enabled}"));
            Assert.Equal("", (await Kubectl.RunAsync(kubeconfig, "get", "mutatingwebhookconfigurations", "-o", "name")).Trim());
            Assert.Equal("true", await Kubectl.RunAsync(kubeconfig, "get", "deployment", "web", "-n", "team-a", "-o", "jsonpath={.metadata.labels.spotalis\\.io/enabled}"));
            await Kubectl.RunWithInputAsync(kubeconfig, FixedDashboard.Replace("REWRITTEN", rewritten.Replace("\"", "\\\"", StringComparison.Ordinal), StringComparison.Ordinal), "apply", "-f", "-");

            var (cleanCode, cleanOutput, cleanError) = await RunCliAsync("migrate", "--kubeconfig", kubeconfig, "--config", goConfig);
            Assert.True(cleanCode == ExitCodes.Ok, $"exit {cleanCode}: {cleanError}\n{cleanOutput}");
            Assert.Contains("Nothing to do", cleanOutput, StringComparison.Ordinal);

            // 3. spotalis run with the old Go config file (webhooks cannot reach a process outside the simulated cluster, so Go's DISABLE_WEBHOOK).
            var untouched = await PodUidsAsync(client, ("team-a", "app=worker"), ("team-a", "app=batch"), ("default", "app=legacy"));
            var log = new StringBuilder();
            run = Start(log, "run", "-config", goConfig, "-kubeconfig", kubeconfig);
            await WaitForAsync(() => Task.FromResult(IsReady(healthPort)), "/readyz of spotalis run", () => log.ToString());
            await WaitForAsync(async () => (await LeaseHolderAsync(client)) is { Length: > 0 }, "the Go lease name to be held", () => log.ToString());

            // Converged: the status the operator computes names exactly the workloads Go managed, with Go's "70%".
            await WaitForAsync(async () =>
            {
                var (statusCode, status, _) = await RunCliAsync("status", "-A", "--kubeconfig", kubeconfig, "--config", goConfig, "-o", "json");
                using var json = JsonDocument.Parse(status);
                var rows = json.RootElement.GetProperty("workloads").EnumerateArray().ToList();
                return statusCode == 0 && rows.Count == 2 && rows.Any(r => r.GetProperty("name").GetString() == "web" && r.GetProperty("spotPercentage").GetInt32() == 70)
                       && rows.Any(r => r.GetProperty("name").GetString() == "cache");
            }, "status to show exactly web and cache as managed");

            // Several reconcile intervals later, nothing Go never managed has been evicted or replaced.
            var lease = await LeaseHolderAsync(client);
            var reconcilesSoFar = await ReconcilesAsync(metricsPort);
            await WaitForAsync(async () => await ReconcilesAsync(metricsPort) >= reconcilesSoFar + 10, "ten more reconciles (several resync cycles)", () => log.ToString());
            Assert.Equal(untouched, await PodUidsAsync(client, ("team-a", "app=worker"), ("team-a", "app=batch"), ("default", "app=legacy")));
            Assert.Equal(lease, await LeaseHolderAsync(client));
            var logText = log.ToString();
            Assert.Contains("config key operator.readOnlyMode is the Go Spotalis spelling; use readOnly", logText, StringComparison.Ordinal);
            Assert.Contains("controllers.rateLimit.qps", logText, StringComparison.Ordinal);
            Assert.Contains("environment variable DISABLE_WEBHOOK is the Go Spotalis spelling", logText, StringComparison.Ordinal);
            Assert.DoesNotContain("Invalid policy", logText, StringComparison.Ordinal);
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

    private static Process Start(StringBuilder? log, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spotalis.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (log is not null)
        {
            start.Environment["DISABLE_WEBHOOK"] = "true";
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

    private static async Task<(int Code, string Output, string Error)> RunCliAsync(params string[] arguments)
    {
        using var process = Start(null, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task<string[]> PodUidsAsync(Kubernetes client, params (string Namespace, string Selector)[] selections)
    {
        var uids = new List<string>();
        foreach (var (ns, selector) in selections)
        {
            uids.AddRange((await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector)).Items.Select(p => p.Metadata.Uid));
        }

        return [.. uids.Order(StringComparer.Ordinal)];
    }

    private static async Task<string?> LeaseHolderAsync(Kubernetes client)
    {
        try
        {
            return (await client.CoordinationV1.ReadNamespacedLeaseAsync("spotalis-controller-leader", "spotalis-system")).Spec?.HolderIdentity;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<double> ReconcilesAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics"));
        return text.Split('\n').Where(l => l.StartsWith("spotalis_reconcile_total{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private static bool IsReady(int port)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            return http.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/readyz")).GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, Func<string>? context = null)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(deadline) < Patience)
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
