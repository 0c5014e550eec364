using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Hosting;
using Spotalis.Operator.Observability;
using k8s.Models;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>Issue 13: fallback that holds and no eviction in vain, with a real operator host against the simulator over HTTP.</summary>
public class PlacementTrustTests
{
    private static Dictionary<string, string> Policy(int spotPercentage, int minOnDemand = 0) => new()
    {
        ["spotalis.io/spot-percentage"] = spotPercentage.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["spotalis.io/min-on-demand"] = minOnDemand.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Without_the_webhook_evictions_pause_after_futile_moves_with_a_PlacementNotSteered_warning()
    {
        // One spot node and three on-demand nodes: the scheduler alone spreads the pods far from 7 spot / 3 on-demand.
        await using var env = await OperatorTestEnvironment.StartAsync(spotNodes: 1, onDemandNodes: 3);
        var fast = OperatorTestCluster.FastConfig();

        // Ten-fold compressed: a 5 m first pause and 1 h cap become 30 s and 6 m; one minute stands for ten.
        var config = fast with
        {
            Controllers = fast.Controllers with
            {
                Cooldown = TimeSpan.FromSeconds(1),
                FutileMoveLimit = 2,
                FutileBackoff = TimeSpan.FromSeconds(30),
                FutileBackoffMax = TimeSpan.FromMinutes(6),
            },
            Webhook = fast.Webhook with { Enabled = false, PathCheckInterval = TimeSpan.FromSeconds(2) },
        };
        await using var host = await OperatorHost.StartAsync(config, env.KubeconfigPath, new OperatorHostOptions { LoggerFactory = TestLogging.Factory });
        await env.CreateDeploymentAsync("shop", "api", 10, Policy(70, 1));

        var workload = new WorkloadRef("Deployment", "shop", "api");
        await OperatorTestCluster.WaitForAsync(
            () => env.EventsFor("shop", "api", EventReasons.PlacementNotSteered).Count > 0,
            "a PlacementNotSteered Warning",
            TimeSpan.FromSeconds(60));
        Assert.Equal(WorkloadState.PlacementNotSteered, host.Reconciler.Evaluate(workload).State);
        Assert.Contains("webhook is not in the admission path", env.EventsFor("shop", "api", EventReasons.PlacementNotSteered)[0].Note, StringComparison.Ordinal);

        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            Assert.True(host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value <= 3, Timeline(env, host));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.True(host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value is >= 2 and <= 3, Timeline(env, host));
        Assert.Equal(0, host.Metrics.WebhookInPath.Value);
        Assert.True(host.Metrics.MoveOutcomes.WithLabels("unplaced").Value >= 2);
    }

    private static string Timeline(OperatorTestEnvironment env, OperatorHost host) =>
        $"{host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value} evictions without a webhook; moves: " +
        string.Join(", ", new[] { "steered", "futile", "unplaced" }.Select(o => $"{o} {host.Metrics.MoveOutcomes.WithLabels(o).Value}")) + "; events:\n" +
        string.Join("\n", env.EventsFor("shop", "api").OrderBy(e => e.EventTime).Select(e => $"{e.EventTime:HH:mm:ss.fff} {e.Reason} x{e.Series?.Count ?? 1} {e.Note}"));

    [Fact]
    public async Task A_spot_drought_falls_back_within_30s_stays_there_for_2_minutes_and_is_reclaimed_when_spot_returns()
    {
        await using var env = await OperatorTestEnvironment.StartAsync(spotNodes: 1, onDemandNodes: 2, adjust: o => o with
        {
            EnableProvisioning = true,
            ProvisioningDelay = TimeSpan.FromMilliseconds(300),
            InterruptionNotice = TimeSpan.FromMilliseconds(500),
        });
        var fast = OperatorTestEnvironment.FastConfig();
        var config = fast with
        {
            Controllers = fast.Controllers with { FallbackAfter = TimeSpan.FromSeconds(20), ReclaimAfter = TimeSpan.FromSeconds(180), Cooldown = TimeSpan.FromSeconds(1) },
        };
        await env.StartOperatorAsync(config);
        await env.CreateDeploymentAsync("shop", "web", 6, Policy(50, 1));
        await env.WaitForSplitAsync("shop", "web", spot: 3, onDemand: 3);

        env.Cluster.StartOutage("spot");
        var droughtStarted = DateTimeOffset.UtcNow;
        foreach (var node in env.Api.List<V1Node>().Where(n => n.Metadata.Labels[OperatorTestEnvironment.SpotLabel] == "spot"))
        {
            env.Cluster.Interrupt(node.Metadata.Name);
        }

        await env.WaitForSplitAsync("shop", "web", spot: 0, onDemand: 6, timeout: TimeSpan.FromSeconds(60));
        Assert.True(DateTimeOffset.UtcNow - droughtStarted < TimeSpan.FromSeconds(20 + 30), "fell back within 30 s of fallbackAfter");

        // It stays: no pod is placed on spot while the drought lasts, checked every second for two minutes.
        var until = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTimeOffset.UtcNow < until)
        {
            var pods = env.PodsOf("shop", "web").Where(p => p.Pod.Metadata.DeletionTimestamp is null).ToList();
            Assert.DoesNotContain(pods, p => p.Pod.Metadata.Labels.TryGetValue("spotalis.io/capacity-type", out var c) && c == "spot");
            Assert.All(pods, p => Assert.True(p.Pod.Metadata.Annotations?.ContainsKey(SpotalisKeys.FallbackSince) == true || p.Pod.Metadata.CreationTimestamp is null,
                $"{p.Pod.Metadata.Name} lacks the fallback record"));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.DoesNotContain(env.EventsFor("shop", "web", EventReasons.Balanced), e => e.EventTime > droughtStarted.UtcDateTime);

        env.Cluster.EndOutage("spot");
        // No evidence of spot capacity reaches this cluster before a probe: reclaim follows reclaimAfter (180 s here).
        await env.WaitForSplitAsync("shop", "web", spot: 3, onDemand: 3, timeout: TimeSpan.FromSeconds(180));
        Assert.NotEmpty(env.EventsFor("shop", "web", EventReasons.ReclaimingSpot));
    }
}
