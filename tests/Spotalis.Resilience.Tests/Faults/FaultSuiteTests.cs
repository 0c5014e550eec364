using System.Diagnostics;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Spotalis.Resilience.Tests.Security;
using Spotalis.Resilience.Tests.Support;
using Spotalis.Simulator.Faults;
using Xunit.Abstractions;

namespace Spotalis.Resilience.Tests.Faults;

/// <summary>
/// The short fault suite: the real operator (watch cache, reconciler, webhook over HTTPS) rebalances two
/// Deployments while the simulator's API misbehaves in one way, then recovers when the fault stops. A checker
/// samples the cluster all along; every run must end with zero invariant violations, no pod deleted except
/// through the Eviction API, only RBAC-granted calls, no secret in the logs, and every workload balanced.
/// </summary>
public sealed class FaultSuiteTests(ITestOutputHelper output)
{
    private const int Replicas = 8;
    private const int Floor = 2;
    private const int SpotShare = 75; // 6 spot, 2 on-demand
    private static readonly TimeSpan FaultDuration = TimeSpan.FromSeconds(6);
    private static readonly string[] Apps = ["api", "web"];

    public static TheoryData<string> FaultClasses => new()
    {
        "api-errors", "eviction-errors", "latency", "watch-drops", "watch-expired", "conflicts", "eviction-hang",
        "stale-reads", "webhook-refused", "webhook-timeout", "mixed",
    };

    internal static FaultOptions Faults(string name) => name switch
    {
        "api-errors" => new FaultOptions { ErrorRate = 0.3 },
        "eviction-errors" => new FaultOptions { ErrorRate = 0.6, ErrorResources = new HashSet<string> { "pods/eviction" } },
        "latency" => new FaultOptions { AddedLatency = TimeSpan.FromMilliseconds(400) },
        "watch-drops" => new FaultOptions { DropWatchesAfter = TimeSpan.FromSeconds(1) },
        "watch-expired" => new FaultOptions { DropWatchesAfter = TimeSpan.FromSeconds(1.5), ExpireWatchResumes = true },
        "conflicts" => new FaultOptions { ConflictRate = 0.7 },
        "eviction-hang" => new FaultOptions { EvictionHang = TimeSpan.FromSeconds(3) },
        // Watches are cut and expire so that the informers relist, and every relist (and Lease read) is 1 s old.
        "stale-reads" => new FaultOptions { StaleReads = TimeSpan.FromSeconds(1), DropWatchesAfter = TimeSpan.FromSeconds(1.5), ExpireWatchResumes = true },
        "webhook-refused" => new FaultOptions { WebhookOutage = WebhookOutage.ConnectionRefused },
        "webhook-timeout" => new FaultOptions { WebhookOutage = WebhookOutage.Timeout },
        "mixed" => new FaultOptions
        {
            ErrorRate = 0.15,
            AddedLatency = TimeSpan.FromMilliseconds(100),
            DropWatchesAfter = TimeSpan.FromSeconds(2),
            ExpireWatchResumes = true,
            ConflictRate = 0.3,
            StaleReads = TimeSpan.FromSeconds(1),
            WebhookOutage = WebhookOutage.ConnectionRefused,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown fault class"),
    };

    [Theory]
    [MemberData(nameof(FaultClasses))]
    public async Task Operator_keeps_every_invariant_under_the_fault_and_recovers_after_it(string faultClass)
    {
        var logs = new CapturingLoggerProvider();
        using var logging = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var env = await FaultEnvironment.StartAsync(logging);
        // With leader election on, stale reads also hit the Lease: renewals built on an old resourceVersion get 409.
        await env.StartOperatorAsync(FaultEnvironment.Config(leaderElection: faultClass == "stale-reads", identity: "replica-a"));
        var report = await RebalanceUnderFaultAsync(env, Faults(faultClass), async () => await Task.Delay(FaultDuration));

        output.WriteLine($"fault class {faultClass}: {report}");
        Assert.True(report.Injected.Total > 0, $"no fault of class {faultClass} was injected");
        Assert.Empty(report.Violations);
        SecretScan.AssertNoSecrets(logs.Lines, env);
        RbacRules.AssertOnlyGrantedCalls(env.Faults.Requests);
    }

    [Fact]
    public async Task A_follower_takes_over_when_the_leader_dies_mid_rebalance_without_breaking_an_invariant()
    {
        var logs = new CapturingLoggerProvider();
        using var logging = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var env = await FaultEnvironment.StartAsync(logging);
        var first = await env.StartOperatorAsync(FaultEnvironment.Config(leaderElection: true, identity: "replica-a"), "spotalis");
        var second = await env.StartOperatorAsync(FaultEnvironment.Config(leaderElection: true, identity: "replica-b"), "spotalis-b");
        await FaultEnvironment.WaitForAsync(() => first.IsLeader || second.IsLeader, "a leader");
        var leader = first.IsLeader ? first : second;
        var follower = leader == first ? second : first;

        var report = await RebalanceUnderFaultAsync(env, FaultOptions.None, async () =>
        {
            await FaultEnvironment.WaitForAsync(() => EvictedEvents(env) >= 1, "the leader's first eviction");
            await env.StopOperatorAsync(leader);
            await FaultEnvironment.WaitForAsync(() => follower.IsLeader, "the follower to take over");
        });

        output.WriteLine($"leader failover: {report}");
        Assert.True(follower.IsLeader);
        Assert.Empty(report.Violations);
        SecretScan.AssertNoSecrets(logs.Lines, env);
        // Two replicas in one real cluster share one webhook configuration behind a Service; here each has its own URL.
        RbacRules.AssertOnlyGrantedCalls(env.Faults.Requests, new Dictionary<string, string> { ["spotalis-b"] = "spotalis" });
    }

    private static int EvictedEvents(FaultEnvironment env) =>
        Apps.Sum(app => env.Api.List<Eventsv1Event>("shop").Count(e => e.Regarding?.Name == app && e.Reason == "Evicted"));

    /// <summary>
    /// Settles two workloads all on-demand, starts the checker, switches the faults on and raises the spot share,
    /// runs <paramref name="duringFaults"/>, switches the faults off and measures the time until both are balanced.
    /// </summary>
    internal static async Task<FaultRunReport> RebalanceUnderFaultAsync(FaultEnvironment env, FaultOptions faults, Func<Task> duringFaults)
    {
        foreach (var app in Apps)
        {
            await env.CreateDeploymentAsync("shop", app, Replicas, spotPercentage: 0, minOnDemand: Floor);
        }

        foreach (var app in Apps)
        {
            await FaultEnvironment.WaitForAsync(() => env.Split("shop", app) == (0, Replicas, true), $"{app} to settle all on-demand (now {env.Split("shop", app)})");
        }

        var injectedBefore = env.Faults.Counts;
        await using var checker = new InvariantChecker(env.Api, [.. Apps.Select(app => new WatchedWorkload("shop", app, Replicas, Floor))]);
        env.Faults.Configure(faults);
        foreach (var app in Apps)
        {
            env.SetSpotPercentage("shop", app, SpotShare);
        }

        await duringFaults();
        env.Faults.Configure(FaultOptions.None);
        var injected = env.Faults.Counts;
        var recovery = Stopwatch.StartNew();
        var expectedSpot = Replicas * SpotShare / 100;
        foreach (var app in Apps)
        {
            await FaultEnvironment.WaitForAsync(
                () => env.Split("shop", app) == (expectedSpot, Replicas - expectedSpot, true),
                $"{app} to be balanced at {expectedSpot} spot after the faults stopped (now {env.Split("shop", app)})",
                TimeSpan.FromSeconds(90));
        }

        var recovered = recovery.Elapsed;
        var deletes = env.Faults.CountOf("delete", "pods") + env.Faults.CountOf("deletecollection", "pods");
        var violations = checker.Violations.ToList();
        if (deletes > 0)
        {
            violations.Add($"{deletes} pod DELETE request(s) outside the Eviction API");
        }

        return new FaultRunReport(
            injected.Since(injectedBefore),
            env.Faults.CountOf("create", "pods/eviction"),
            checker.Samples,
            violations,
            recovered);
    }
}

/// <summary>What one fault run saw.</summary>
internal sealed record FaultRunReport(FaultCounts Injected, long EvictionRequests, long Samples, IReadOnlyList<string> Violations, TimeSpan TimeToRecover)
{
    public override string ToString() =>
        $"injected {Injected.Total} ({Injected}); eviction requests {EvictionRequests}; samples {Samples}; violations {Violations.Count}; " +
        $"time to recover {TimeToRecover.TotalSeconds:F1} s" + (Violations.Count > 0 ? Environment.NewLine + string.Join(Environment.NewLine, Violations.Take(20)) : "");
}
