using System.Diagnostics;
using System.Text.Json;
using k8s;
using Spotalis.Commands;
using Spotalis.Testing;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

public class SimServeCommandTests
{
    private const string OptedInDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          labels: {spotalis.io/enabled: "true", app: api}
          annotations: {spotalis.io/spot-percentage: "50"}
        spec:
          replicas: 4
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: app, image: nginx}]}
        """;

    [Fact]
    public async Task Sim_serve_prints_where_it_listens_writes_a_kubeconfig_kubectl_and_the_client_accept_and_stops_on_sigterm()
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        var cli = Path.Combine(AppContext.BaseDirectory, "spotalis.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { cli, "sim", "serve", "--kubeconfig", kubeconfig, "--spot-nodes", "2", "--on-demand-nodes", "1" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.NotNull(line);
            Assert.Contains("listening on http://127.0.0.1:", line, StringComparison.Ordinal);
            Assert.Contains(kubeconfig, line, StringComparison.Ordinal);

            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var nodes = await client.CoreV1.ListNodeAsync();
            Assert.Equal(3, nodes.Items.Count);
            Assert.Equal(2, nodes.Items.Count(n => n.Metadata.Labels["karpenter.sh/capacity-type"] == "spot"));

            // The same kubeconfig (plain HTTP, no token asked for) works for kubectl, including its protobuf bodies.
            var kubectlNodes = await Kubectl.RunAsync(kubeconfig, "get", "nodes", "-o", "name");
            Assert.Equal(3, kubectlNodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            await Kubectl.RunAsync(kubeconfig, "create", "deployment", "web", "--image=nginx", "--replicas=3");
            Assert.Equal(3, (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default")).Spec.Replicas);
            await Kubectl.RunWithInputAsync(kubeconfig, OptedInDeployment, "apply", "-f", "-");

            var (code, output, error) = await CliRunner.RunAsync("status", "-A", "--kubeconfig", kubeconfig, "-o", "json");
            Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}");
            using var json = JsonDocument.Parse(output);
            var row = Assert.Single(json.RootElement.GetProperty("workloads").EnumerateArray());
            Assert.Equal("api", row.GetProperty("name").GetString());
            Assert.Equal(4, row.GetProperty("replicas").GetInt32());
            Assert.Equal(50, row.GetProperty("spotPercentage").GetInt32());
            Assert.Equal(2, row.GetProperty("desiredSpot").GetInt32());
            Assert.Equal(2, row.GetProperty("desiredOnDemand").GetInt32());
        }
        finally
        {
            if (!process.HasExited)
            {
                Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }

        Assert.Equal(0, process.ExitCode);
    }
}
