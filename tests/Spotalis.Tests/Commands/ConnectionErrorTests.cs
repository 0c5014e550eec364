using System.Diagnostics;
using System.Globalization;
using System.Text;
using Spotalis.Commands;
using Spotalis.Testing;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>What a user sees when there is no cluster to talk to, or the cluster lacks the operator's namespace.</summary>
public class ConnectionErrorTests
{
    [Theory]
    [InlineData("status", "-A")]
    [InlineData("explain", "shop/web-1")]
    [InlineData("run")]
    public async Task Without_any_kubeconfig_the_command_says_none_was_found_and_names_the_flag_and_the_variable(params string[] arguments)
    {
        using var home = new TemporaryDirectory();
        var environment = new Dictionary<string, string?> { ["KUBECONFIG"] = null, ["HOME"] = home.Path, ["KUBERNETES_SERVICE_HOST"] = null };

        var (code, output, error) = await SpotalisProcess.RunAsync(environment, TimeSpan.FromSeconds(60), arguments);

        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("no kubeconfig found", error, StringComparison.Ordinal);
        Assert.Contains("--kubeconfig", error, StringComparison.Ordinal);
        Assert.Contains("KUBECONFIG", error, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost:8080", error + output, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Run_against_a_cluster_without_the_operator_namespace_warns_once_and_the_operator_leads_and_registers_its_webhook()
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        using var cluster = Process.Start(SpotalisProcess.StartInfo(null, "sim", "serve", "--kubeconfig", kubeconfig))!;
        Process? run = null;
        try
        {
            Assert.NotNull(await cluster.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            var environment = new Dictionary<string, string?>
            {
                ["SPOTALIS_METRICS_ADDRESS"] = "127.0.0.1:0",
                ["SPOTALIS_HEALTH_ADDRESS"] = "127.0.0.1:0",
                ["SPOTALIS_WEBHOOK_PORT"] = "0",
            };
            run = Process.Start(SpotalisProcess.StartInfo(environment, "run", "--kubeconfig", kubeconfig))!;
            var log = new StringBuilder();
            var errors = new StringBuilder();
            run.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            run.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
            run.BeginOutputReadLine();
            run.BeginErrorReadLine();

            // The leader Lease and the webhook registration both need the namespace: seeing both means the operator works.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (true)
            {
                var leases = await Kubectl.RunAsync(kubeconfig, "get", "leases", "-n", "spotalis-system", "-o", "name");
                var webhooks = await Kubectl.RunAsync(kubeconfig, "get", "mutatingwebhookconfigurations", "-o", "name");
                if (leases.Contains("spotalis-leader", StringComparison.Ordinal) && webhooks.Contains("spotalis", StringComparison.Ordinal))
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"the operator did not lead and register its webhook within 90 s; log:\n{log}\nstderr:\n{errors}");
                Assert.False(run.HasExited, $"the operator exited {(run.HasExited ? run.ExitCode : 0)}; stderr:\n{errors}");
                await Task.Delay(500);
            }

            Process.Start("kill", ["-TERM", run.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            await run.WaitForExitAsync(timeout.Token);

            Assert.Equal(0, run.ExitCode);
            var warnings = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var warning = Assert.Single(warnings);
            Assert.StartsWith("warning: namespace spotalis-system did not exist; created it", warning, StringComparison.Ordinal);
            Assert.DoesNotContain("\"LogLevel\":\"Error\"", log.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", log.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var process in new[] { run, cluster })
            {
                if (process is { HasExited: false })
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            run?.Dispose();
        }
    }
}
