using System.Diagnostics;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Spotalis.Resilience.Tests.Security;
using Spotalis.Resilience.Tests.Support;
using Spotalis.Simulator.Faults;
using Xunit.Abstractions;

namespace Spotalis.Resilience.Tests.Faults;

/// <summary>
/// Two real <c>spotalis run</c> processes elect a leader over the simulator's HTTP API (Lease of 3 s). While the
/// leader's eviction is held by the server, the leader is killed with SIGKILL: it neither releases the Lease nor
/// hears the eviction's answer. The other process must take over once the Lease expires and finish the rebalance
/// without breaking an invariant. The admission webhook is served by a third, read-only, in-process replica (as every
/// replica serves it), so the processes need no webhook Service.
/// </summary>
public sealed class LeaderKillTests(ITestOutputHelper output)
{
    private const string LeaseNamespace = "spotalis-system";
    private const string LeaseName = "spotalis-leader";

    [Fact]
    public async Task Follower_process_takes_over_after_the_leader_is_killed_mid_eviction_and_finishes_without_breaking_an_invariant()
    {
        var logs = new CapturingLoggerProvider();
        using var logging = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var env = await FaultEnvironment.StartAsync(logging);
        await env.StartOperatorAsync(FaultEnvironment.Config() with { ReadOnly = true });
        using var first = OperatorProcess.Start(env.Simulation.KubeconfigPath, "process-a");
        using var second = OperatorProcess.Start(env.Simulation.KubeconfigPath, "process-b");
        await FaultEnvironment.WaitForAsync(() => first.IsReadyAsync().GetAwaiter().GetResult() && second.IsReadyAsync().GetAwaiter().GetResult(), "both processes ready");
        await FaultEnvironment.WaitForAsync(() => Holder(env) is "process-a" or "process-b", "a leader among the processes");
        var leader = Holder(env) == first.Identity ? first : second;
        var follower = leader == first ? second : first;
        var takeover = TimeSpan.Zero;

        // The held eviction is served within the Lease duration, as a real apiserver answers long before a Lease expires:
        // leader election alone keeps two leaders' evictions apart.
        var report = await FaultSuiteTests.RebalanceUnderFaultAsync(env, new FaultOptions { EvictionHang = TimeSpan.FromSeconds(2) }, async () =>
        {
            var held = env.Faults.Counts.EvictionsHeld;
            await FaultEnvironment.WaitForAsync(() => env.Faults.Counts.EvictionsHeld > held, "the leader's eviction to be in flight");
            await leader.KillAsync();
            var sinceKill = Stopwatch.StartNew();
            await FaultEnvironment.WaitForAsync(() => Holder(env) == follower.Identity, "the follower to take the Lease");
            takeover = sinceKill.Elapsed;
        });

        output.WriteLine($"leader {leader.Identity} killed (exit {leader.ExitCode}) mid-eviction; {follower.Identity} led {takeover.TotalSeconds:F1} s later; {report}");
        Assert.True(leader.HasExited);
        Assert.NotEqual(0, leader.ExitCode);
        Assert.False(follower.HasExited);
        Assert.Equal(follower.Identity, Holder(env));
        Assert.True(report.Injected.EvictionsHeld > 0);
        Assert.Empty(report.Violations);
        Assert.Contains(follower.Lines, l => l.Contains("Evicted", StringComparison.Ordinal));
        SecretScan.AssertNoSecrets([.. logs.Lines, .. first.Lines, .. second.Lines], env);
        RbacRules.AssertOnlyGrantedCalls(env.Faults.Requests);
    }

    private static string? Holder(FaultEnvironment env) => env.Api.Get<V1Lease>(LeaseNamespace, LeaseName)?.Spec?.HolderIdentity;
}
