using System.Diagnostics;
using k8s;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

public class SimServeCommandTests
{
    [Fact]
    public async Task Sim_serve_prints_where_it_listens_writes_a_working_kubeconfig_and_stops_on_sigterm()
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
