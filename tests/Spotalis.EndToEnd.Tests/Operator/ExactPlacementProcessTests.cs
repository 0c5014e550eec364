using k8s.Models;
using Spotalis.Testing;
using Xunit.Abstractions;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>
/// DESIGN.md invariant 10 with real <c>spotalis run</c> processes serving admission through the webhook Service, driven
/// with kubectl: placement counts only pods that exist.
/// </summary>
public sealed class ExactPlacementProcessTests(ITestOutputHelper output)
{
    private const string CapacityLabel = "spotalis.io/capacity-type";

    [Fact]
    [Trait("Category", SpotalisExecutable.NativeAotCategory)]
    public async Task Deleting_an_on_demand_pod_five_times_sends_every_replacement_to_on_demand_with_zero_evictions()
    {
        await using var env = await OperatorTestEnvironment.StartAsync(useTls: true);
        using var process = SpotalisRunProcess.Start(env.KubeconfigPath, "exact-single", leaderElection: false);
        try
        {
            await StartServingAsync(env, process);
            await env.CreateDeploymentAsync("shop", "api", 6, OptedInDeployment.Policy(100, 2));
            await env.WaitForSplitAsync("shop", "api", spot: 4, onDemand: 2);

            for (var round = 1; round <= 5; round++)
            {
                var before = env.PodsOf("shop", "api").Select(p => p.Pod.Metadata.Name).ToHashSet();
                var victim = env.PodsOf("shop", "api").First(p => p.Capacity == "on-demand").Pod.Metadata.Name;
                await Kubectl.RunAsync(env.KubeconfigPath, "delete", "pod", victim, "-n", "shop");

                await OperatorTestCluster.WaitForAsync(
                    () => env.PodsOf("shop", "api").Any(p => !before.Contains(p.Pod.Metadata.Name)),
                    $"a replacement for {victim}");
                var replacement = env.PodsOf("shop", "api").Single(p => !before.Contains(p.Pod.Metadata.Name)).Pod;
                Assert.Equal("on-demand", replacement.Metadata.Labels[CapacityLabel]);
                await env.WaitForSplitAsync("shop", "api", spot: 4, onDemand: 2);
                output.WriteLine($"round {round}: deleted {victim}, replacement {replacement.Metadata.Name} on on-demand");
            }

            // Let the controller see the settled workload a few more times: it must find nothing to repair.
            var reconciles = await process.MetricAsync("spotalis_reconcile_total");
            await OperatorTestCluster.WaitForAsync(
                () => process.MetricAsync("spotalis_reconcile_total").GetAwaiter().GetResult() >= reconciles + 3,
                "three more reconciles");
            Assert.Equal(0, await process.EvictionAttemptsAsync());
            Assert.Equal((4, 2, true), env.Split("shop", "api"));
        }
        catch
        {
            output.WriteLine(string.Join('\n', process.Lines.TakeLast(200)));
            throw;
        }
    }

    [Fact]
    public async Task A_statefulset_scaled_to_2_4_1_and_5_keeps_its_split_at_every_size_with_zero_evictions()
    {
        await using var env = await OperatorTestEnvironment.StartAsync(useTls: true);
        using var process = SpotalisRunProcess.Start(env.KubeconfigPath, "exact-sts", leaderElection: false);
        try
        {
            await StartServingAsync(env, process);
            await env.CreateStatefulSetAsync("db", "pg", 5, OptedInDeployment.Policy(60, 1));
            await env.WaitForSplitAsync("db", "pg", spot: 3, onDemand: 2);

            foreach (var replicas in (int[])[2, 4, 1, 5])
            {
                await Kubectl.RunAsync(env.KubeconfigPath, "scale", "statefulset", "pg", "-n", "db", $"--replicas={replicas}");
                var desired = Core.Split.SplitCalculator.Compute(replicas, 60, 1);
                await OperatorTestCluster.WaitForAsync(
                    () => env.Api.List<V1Pod>("db").Count == replicas && env.Split("db", "pg") == (desired.Spot, desired.OnDemand, true),
                    $"db/pg at {replicas} replicas to hold {desired} (now {env.Split("db", "pg")})");
                output.WriteLine($"scaled to {replicas}: {string.Join(", ", env.PodsOf("db", "pg").OrderBy(p => p.Pod.Metadata.Name).Select(p => $"{p.Pod.Metadata.Name}={p.Capacity}"))}");
            }

            var reconciles = await process.MetricAsync("spotalis_reconcile_total");
            await OperatorTestCluster.WaitForAsync(
                () => process.MetricAsync("spotalis_reconcile_total").GetAwaiter().GetResult() >= reconciles + 3,
                "three more reconciles");
            Assert.Equal(0, await process.EvictionAttemptsAsync());
            Assert.Equal((3, 2, true), env.Split("db", "pg"));
        }
        catch
        {
            output.WriteLine(string.Join('\n', process.Lines.TakeLast(200)));
            throw;
        }
    }

    /// <summary>Routes the webhook Service to the process and waits until it is ready and registered.</summary>
    internal static async Task StartServingAsync(OperatorTestEnvironment env, params SpotalisRunProcess[] processes)
    {
        await SpotalisRunProcess.RouteWebhookServiceAsync(env.Api, processes[0].WebhookPort);
        await OperatorTestCluster.WaitForAsync(
            () => processes.All(p => p.IsReadyAsync().GetAwaiter().GetResult()),
            "the spotalis run processes to be ready",
            TimeSpan.FromSeconds(120));
        await OperatorTestCluster.WaitForAsync(
            () => env.Api.Get<V1MutatingWebhookConfiguration>(null, "spotalis")?.Webhooks is { Count: > 0 } webhooks &&
                  webhooks.All(w => w.ClientConfig?.CaBundle is { Length: > 0 }),
            "the webhook to be registered with its CA");
    }
}
