using System.Text.Json;
using k8s.Models;
using Spotalis.Commands;
using Spotalis.Simulator.Cluster;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

public class StatusCommandTests
{
    [Fact]
    public async Task Status_lists_managed_workloads_of_a_simulated_cluster_over_http()
    {
        using var directory = new TemporaryDirectory();
        var options = new ClusterOptions { PodStartDelay = TimeSpan.FromMilliseconds(100), ProvisioningDelay = TimeSpan.FromMilliseconds(200) }.WithPools(2, 2);
        await using var cluster = await SimulatedEnvironment.StartAsync(new SimulatedEnvironmentOptions { Cluster = options, KubeconfigPath = directory.File("kubeconfig") });
        await CreateDeploymentAsync(cluster, "shop", "web", 4, managed: true);
        await CreateDeploymentAsync(cluster, "shop", "legacy", 2, managed: false);
        await CreateDeploymentAsync(cluster, "other", "batch", 3, managed: true);
        await WaitForAsync(() => cluster.Server.Api.List<V1Pod>().Count(p => p.Spec?.NodeName is not null) == 9);

        var (code, output, error) = await CliRunner.RunAsync("status", "--kubeconfig", cluster.KubeconfigPath, "-n", "shop", "-o", "json");

        Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}");
        using var json = JsonDocument.Parse(output);
        var row = Assert.Single(json.RootElement.GetProperty("workloads").EnumerateArray());
        Assert.Equal("shop", row.GetProperty("namespace").GetString());
        Assert.Equal("web", row.GetProperty("name").GetString());
        Assert.Equal("Deployment", row.GetProperty("kind").GetString());
        Assert.Equal(4, row.GetProperty("replicas").GetInt32());
        Assert.Equal(50, row.GetProperty("spotPercentage").GetInt32());
        Assert.Equal(1, row.GetProperty("minOnDemand").GetInt32());
        Assert.Equal(2, row.GetProperty("desiredSpot").GetInt32());
        Assert.Equal(2, row.GetProperty("desiredOnDemand").GetInt32());
        Assert.Equal(4, row.GetProperty("actualSpot").GetInt32() + row.GetProperty("actualOnDemand").GetInt32());
        Assert.Equal(0, row.GetProperty("pending").GetInt32());
        Assert.False(string.IsNullOrEmpty(row.GetProperty("state").GetString()));

        var (allCode, allOutput, _) = await CliRunner.RunAsync("status", "--kubeconfig", cluster.KubeconfigPath, "-A", "-o", "json");
        Assert.Equal(ExitCodes.Ok, allCode);
        using var all = JsonDocument.Parse(allOutput);
        Assert.Equal(["other/batch", "shop/web"], all.RootElement.GetProperty("workloads").EnumerateArray().Select(w => $"{w.GetProperty("namespace").GetString()}/{w.GetProperty("name").GetString()}"));

        var (tableCode, table, _) = await CliRunner.RunAsync("status", "--kubeconfig", cluster.KubeconfigPath, "-A");
        Assert.Equal(ExitCodes.Ok, tableCode);
        Assert.Contains("NAMESPACE", table, StringComparison.Ordinal);
        Assert.Contains("batch", table, StringComparison.Ordinal);
        Assert.DoesNotContain("legacy", table, StringComparison.Ordinal);

        var pod = cluster.Server.Api.List<V1Pod>("shop").First(p => p.Metadata.Name.StartsWith("web-", StringComparison.Ordinal));
        var (explainCode, explained, explainError) = await CliRunner.RunAsync("explain", $"shop/{pod.Metadata.Name}", "--kubeconfig", cluster.KubeconfigPath, "-o", "json");
        Assert.True(explainCode == ExitCodes.Ok, explainError);
        using var explanation = JsonDocument.Parse(explained);
        Assert.Equal("Deployment/shop/web", explanation.RootElement.GetProperty("owner").GetString());
        Assert.True(explanation.RootElement.GetProperty("managed").GetBoolean());
        Assert.Contains(explanation.RootElement.GetProperty("nodeCapacityType").GetString(), new[] { "spot", "on-demand" });

        var (missingCode, _, missingError) = await CliRunner.RunAsync("explain", "shop/nope", "--kubeconfig", cluster.KubeconfigPath);
        Assert.Equal(ExitCodes.Failure, missingCode);
        Assert.Contains("not found", missingError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_cluster_is_a_failure_and_bad_flags_are_usage_errors()
    {
        var (code, _, error) = await CliRunner.RunAsync("status", "--kubeconfig", "/nonexistent/kubeconfig");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Usage, (await CliRunner.RunAsync("status", "-n", "a", "-A")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await CliRunner.RunAsync("status", "-o", "yaml")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await CliRunner.RunAsync("explain", "a/b/c")).ExitCode);
        var (workloadCode, _, workloadError) = await CliRunner.RunAsync("explain", "deployment/web");
        Assert.Equal(ExitCodes.Usage, workloadCode);
        Assert.Contains("names a workload", workloadError, StringComparison.Ordinal);
    }

    private static async Task CreateDeploymentAsync(SimulatedEnvironment cluster, string ns, string name, int replicas, bool managed)
    {
        cluster.Server.Api.EnsureNamespace(ns);
        var labels = managed ? new Dictionary<string, string> { ["spotalis.io/enabled"] = "true" } : new Dictionary<string, string>();
        await cluster.Server.Api.CreateAsync(new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = labels,
                Annotations = new Dictionary<string, string> { ["spotalis.io/spot-percentage"] = "50", ["spotalis.io/min-on-demand"] = "1" },
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
                },
            },
        });
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the simulated cluster did not place the pods in 60 s");
            await Task.Delay(100);
        }
    }
}
