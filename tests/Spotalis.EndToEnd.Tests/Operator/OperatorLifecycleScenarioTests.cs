using Spotalis.Core.Planning;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Observability;
using k8s.Models;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>Issue 4 "Done when" scenarios about opt-in, fallback, StatefulSets, leadership, restarts and windows.</summary>
public class OperatorLifecycleScenarioTests
{
    private static Dictionary<string, string> Policy(int spotPercentage, int minOnDemand = 0) => new()
    {
        ["spotalis.io/spot-percentage"] = spotPercentage.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["spotalis.io/min-on-demand"] = minOnDemand.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Scenario2_a_namespace_label_opts_workloads_in_and_a_workload_label_false_opts_out()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var host = await env.StartOperatorAsync(OperatorTestEnvironment.FastConfig());
        env.EnsureNamespace("team", new Dictionary<string, string> { ["spotalis.io/enabled"] = "true" });

        await env.CreateDeploymentAsync("team", "inherits", 4, Policy(100), enabledLabel: null);
        await env.CreateDeploymentAsync("team", "optout", 4, Policy(100), enabledLabel: "false");
        await env.WaitForSplitAsync("team", "inherits", spot: 4, onDemand: 0);
        await OperatorTestCluster.WaitForAsync(() => env.Split("team", "optout") is { Settled: true } s && s.Spot + s.OnDemand == 4, "opted-out pods running");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.True(host.Reconciler.Evaluate(new WorkloadRef("Deployment", "team", "inherits")).Managed);
        Assert.False(host.Reconciler.Evaluate(new WorkloadRef("Deployment", "team", "optout")).Managed);
        Assert.All(env.PodsOf("team", "optout"), p => Assert.False(p.Pod.Metadata.Labels.ContainsKey("spotalis.io/capacity-type")));
        Assert.Empty(env.EventsFor("team", "optout"));
    }

    [Fact]
    public async Task Scenario6_spot_outage_falls_back_to_on_demand_and_reclaims_spot_when_it_ends()
    {
        await using var env = await OperatorTestEnvironment.StartAsync(spotNodes: 1, onDemandNodes: 2, adjust: o => o with
        {
            EnableProvisioning = true,
            ProvisioningDelay = TimeSpan.FromMilliseconds(300),
            InterruptionNotice = TimeSpan.FromMilliseconds(500),
        });
        var config = OperatorTestEnvironment.FastConfig() with
        {
            Controllers = OperatorTestEnvironment.FastConfig().Controllers with { FallbackAfter = TimeSpan.FromSeconds(2), ReclaimAfter = TimeSpan.FromSeconds(4) },
        };
        await env.StartOperatorAsync(config);
        await env.CreateDeploymentAsync("shop", "api", 4, Policy(50));
        await env.WaitForSplitAsync("shop", "api", spot: 2, onDemand: 2);

        env.Cluster.StartOutage("spot");
        foreach (var node in env.Api.List<V1Node>().Where(n => n.Metadata.Labels[OperatorTestEnvironment.SpotLabel] == "spot"))
        {
            env.Cluster.Interrupt(node.Metadata.Name);
        }

        // Spot pods lose their node and their replacements cannot be scheduled: after fallbackAfter they run on on-demand.
        await env.WaitForSplitAsync("shop", "api", spot: 0, onDemand: 4);
        Assert.Contains(env.PodsOf("shop", "api"), p => p.Pod.Metadata.Annotations?.TryGetValue("spotalis.io/fallback", out var f) == true && f == "true");
        Assert.NotEmpty(env.EventsFor("shop", "api", EventReasons.FallbackToOnDemand));

        env.Cluster.EndOutage("spot");
        await env.WaitForSplitAsync("shop", "api", spot: 2, onDemand: 2, timeout: TimeSpan.FromSeconds(60));
        Assert.NotEmpty(env.EventsFor("shop", "api", EventReasons.ReclaimingSpot));
    }

    [Fact]
    public async Task Scenario8_statefulset_ordinals_in_prefix_order_scale_down_keeps_the_split_without_evictions()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var host = await env.StartOperatorAsync(OperatorTestEnvironment.FastConfig());

        await env.CreateStatefulSetAsync("db", "pg", 5, Policy(60, 1));
        await env.WaitForSplitAsync("db", "pg", spot: 3, onDemand: 2);
        var byOrdinal = env.PodsOf("db", "pg").ToDictionary(p => p.Pod.Metadata.Name, p => p.Capacity);
        Assert.Equal("on-demand", byOrdinal["pg-0"]);
        Assert.Equal("spot", byOrdinal["pg-1"]);
        Assert.Equal("on-demand", byOrdinal["pg-2"]);
        Assert.Equal("spot", byOrdinal["pg-3"]);
        Assert.Equal("spot", byOrdinal["pg-4"]);

        // The StatefulSet controller removes the highest ordinals; pg-0 and pg-1 already hold the split for 2 replicas.
        var kept = env.PodsOf("db", "pg").Where(p => p.Pod.Metadata.Name is "pg-0" or "pg-1").Select(p => p.Pod.Metadata.Uid).ToHashSet();
        env.Scale<V1StatefulSet>("db", "pg", 2);
        await OperatorTestCluster.WaitForAsync(
            () => env.Api.List<V1Pod>("db").Select(p => p.Metadata.Name).Order().SequenceEqual(["pg-0", "pg-1"]),
            "the StatefulSet to scale down to pg-0 and pg-1");
        await env.WaitForSplitAsync("db", "pg", spot: 1, onDemand: 1);
        var reconciles = Reconciles(host);
        await OperatorTestCluster.WaitForAsync(() => Reconciles(host) >= reconciles + 3, "three more reconciles");

        Assert.Equal(kept, env.PodsOf("db", "pg").Select(p => p.Pod.Metadata.Uid).ToHashSet());
        Assert.Empty(env.EventsFor("db", "pg", EventReasons.Evicted));
        Assert.Equal(0, host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value);
    }

    [Fact]
    public async Task Scenario9_only_the_leader_evicts_and_the_follower_finishes_the_job_when_it_goes_away()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var election = new LeaderElectionSettings
        {
            Enabled = true,
            LeaseNamespace = OperatorTestEnvironment.OperatorNamespace,
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        var config = OperatorTestEnvironment.FastConfig() with { Controllers = OperatorTestEnvironment.FastConfig().Controllers with { Cooldown = TimeSpan.FromSeconds(1) } };
        var first = await env.StartOperatorAsync(config with { LeaderElection = election with { Identity = "op-a" } }, configurationName: "spotalis-a");
        await OperatorTestCluster.WaitForAsync(() => first.IsLeader, "op-a to lead");
        var second = await env.StartOperatorAsync(config with { LeaderElection = election with { Identity = "op-b" } }, configurationName: "spotalis-b");
        await env.CreateDeploymentAsync("shop", "api", 8, Policy(0));
        await env.WaitForSplitAsync("shop", "api", spot: 0, onDemand: 8);

        env.Annotate<V1Deployment>("shop", "api", "spotalis.io/spot-percentage", "50");
        await OperatorTestCluster.WaitForAsync(() => first.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value >= 1, "the leader's first eviction");
        Assert.False(second.IsLeader);
        Assert.Equal(0, second.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value);
        Assert.All(env.EventsFor("shop", "api", EventReasons.Evicted), e => Assert.Equal("op-a", e.ReportingInstance));

        var evictedByFirst = first.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value;
        await env.StopOperatorAsync(first);
        env.Api.Delete<V1MutatingWebhookConfiguration>(null, "spotalis-a");

        await env.WaitForSplitAsync("shop", "api", spot: 4, onDemand: 4);
        Assert.True(second.IsLeader);
        var evictedBySecond = second.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value;
        Assert.True(evictedBySecond >= 1, "the new leader finished the job");
        Assert.Equal(4, evictedByFirst + evictedBySecond);
    }

    [Fact]
    public async Task Scenario10_a_restart_mid_rebalance_converges_without_losing_or_double_evicting()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var config = OperatorTestEnvironment.FastConfig() with { Controllers = OperatorTestEnvironment.FastConfig().Controllers with { Cooldown = TimeSpan.FromSeconds(1) } };
        var first = await env.StartOperatorAsync(config);
        await env.CreateDeploymentAsync("shop", "api", 10, Policy(0, 1));
        await env.WaitForSplitAsync("shop", "api", spot: 0, onDemand: 10);

        env.Annotate<V1Deployment>("shop", "api", "spotalis.io/spot-percentage", "60");
        await OperatorTestCluster.WaitForAsync(() => first.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value >= 2, "two evictions");
        var evictedBefore = first.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value;
        await env.StopOperatorAsync(first);
        Assert.True(evictedBefore < 6, "stopped mid-rebalance");

        var second = await env.StartOperatorAsync(config);
        await env.WaitForSplitAsync("shop", "api", spot: 6, onDemand: 4);

        Assert.Equal(6, evictedBefore + second.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value);
        Assert.Equal(6, env.EventsFor("shop", "api", EventReasons.Evicted).Count);
        Assert.Equal(10, env.PodsOf("shop", "api").Count);
    }

    [Fact]
    public async Task Scenario12_no_evictions_while_the_disruption_window_is_closed_then_converges_when_it_opens()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        // The operator's clock reads 11:59:52 now; the window opens daily at 12:00 UTC for an hour.
        var clock = ShiftedClock.Reading(new TimeOnly(11, 59, 52));
        var opening = new DateTimeOffset(clock.GetUtcNow().Date.AddHours(12), TimeSpan.Zero);
        var config = OperatorTestEnvironment.FastConfig() with
        {
            DisruptionWindow = new DisruptionWindowSettings { Schedule = "0 12 * * *", Duration = TimeSpan.FromHours(1), TimeZone = "UTC" },
        };
        var host = await env.StartOperatorAsync(config, clock);
        await env.CreateDeploymentAsync("shop", "api", 4, Policy(0));
        await env.WaitForSplitAsync("shop", "api", spot: 0, onDemand: 4);

        env.Annotate<V1Deployment>("shop", "api", "spotalis.io/spot-percentage", "50");
        await OperatorTestCluster.WaitForAsync(
            () => host.Reconciler.Evaluate(new WorkloadRef("Deployment", "shop", "api")).State == WorkloadState.WaitingForWindow,
            "the workload to wait for the window");
        while (clock.GetUtcNow() < opening - TimeSpan.FromMilliseconds(300))
        {
            Assert.Equal(0, host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value);
            await Task.Delay(100);
        }

        await env.WaitForSplitAsync("shop", "api", spot: 2, onDemand: 2);
        Assert.True(host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value >= 2);
        Assert.All(env.EventsFor("shop", "api", EventReasons.Evicted), e => Assert.True(e.EventTime >= opening.UtcDateTime));
    }

    private static double Reconciles(Spotalis.Operator.Hosting.OperatorHost host) =>
        host.Metrics.Reconciles.GetAllLabelValues().Sum(labels => host.Metrics.Reconciles.WithLabels(labels).Value);
}

/// <summary>Real time shifted by a fixed offset, so that a wall-clock schedule can be reached within seconds.</summary>
internal sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    /// <summary>A clock that reads <paramref name="timeOfDay"/> (UTC) now: the next such instant, shifted to now.</summary>
    public static ShiftedClock Reading(TimeOnly timeOfDay)
    {
        var now = DateTimeOffset.UtcNow;
        var target = new DateTimeOffset(now.Date, TimeSpan.Zero) + timeOfDay.ToTimeSpan();
        if (target < now)
        {
            target = target.AddDays(1);
        }

        return new ShiftedClock(target - now);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
