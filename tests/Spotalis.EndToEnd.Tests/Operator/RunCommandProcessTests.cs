using System.Diagnostics;
using System.Globalization;
using System.Net;
using k8s.Models;
using Spotalis.Testing;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>The real <c>spotalis run</c> process against the simulated API server.</summary>
public class RunCommandProcessTests
{
    [Fact]
    [Trait("Category", SpotalisExecutable.NativeAotCategory)]
    public async Task Spotalis_run_becomes_ready_evicts_through_the_api_and_exits_cleanly_on_sigterm()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        HandMadeObjects.CreateNodes(cluster.Api);
        await HandMadeObjects.CreateDeploymentWithPodsAsync(cluster.Api, "shop", "api", replicas: 4, spotPercentage: 50, onDemandPods: 4);
        var healthPort = LoopbackPort.Free();
        using var process = Start(["run", "--kubeconfig", cluster.KubeconfigPath], new Dictionary<string, string>
        {
            ["SPOTALIS_LEADER_ELECTION_ENABLED"] = "false",
            ["SPOTALIS_WEBHOOK_ENABLED"] = "false",
            ["SPOTALIS_METRICS_ADDRESS"] = $"127.0.0.1:{LoopbackPort.Free().ToString(CultureInfo.InvariantCulture)}",
            ["SPOTALIS_HEALTH_ADDRESS"] = $"127.0.0.1:{healthPort.ToString(CultureInfo.InvariantCulture)}",
            ["SPOTALIS_CONTROLLERS_COOLDOWN"] = "200ms",
            ["SPOTALIS_CONTROLLERS_RECONCILE_INTERVAL"] = "1s",
        });
        try
        {
            using var http = new HttpClient();
            await OperatorTestCluster.WaitForAsync(() => IsReady(http, healthPort), "/readyz of the spotalis run process");
            await OperatorTestCluster.WaitForAsync(
                () => cluster.Api.List<V1Pod>("shop").Any(p => p.Metadata.DeletionTimestamp is not null),
                "the process to evict a pod");

            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            using var exit = new CancellationTokenSource(OperatorTestCluster.Patience);
            await process.WaitForExitAsync(exit.Token);

            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    [Trait("Category", SpotalisExecutable.NativeAotCategory)]
    public async Task Spotalis_run_with_invalid_configuration_exits_2_listing_every_problem()
    {
        var config = Path.GetTempFileName();
        await File.WriteAllTextAsync(config, "readOnly: perhaps\ncontrollers:\n  cooldown: soon\n");
        try
        {
            using var process = Start(["run", "--config", config], new Dictionary<string, string> { ["SPOTALIS_WEBHOOK_PORT"] = "99999" });
            var error = await process.StandardError.ReadToEndAsync();
            using var exit = new CancellationTokenSource(OperatorTestCluster.Patience);
            await process.WaitForExitAsync(exit.Token);

            Assert.Equal(2, process.ExitCode);
            Assert.Contains("3 problems", error, StringComparison.Ordinal);
            Assert.Contains("readOnly", error, StringComparison.Ordinal);
            Assert.Contains("controllers.cooldown", error, StringComparison.Ordinal);
            Assert.Contains("SPOTALIS_WEBHOOK_PORT", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static Process Start(string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = SpotalisExecutable.StartInfo(arguments);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static bool IsReady(HttpClient http, int port)
    {
        try
        {
            return http.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/readyz")).GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
