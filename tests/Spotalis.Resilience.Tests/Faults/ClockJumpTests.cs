using Microsoft.Extensions.Logging;
using Spotalis.Resilience.Tests.Security;
using Spotalis.Resilience.Tests.Support;
using Spotalis.Simulator.Faults;
using Spotalis.Testing;
using Xunit.Abstractions;

namespace Spotalis.Resilience.Tests.Faults;

/// <summary>
/// The operator's wall clock jumps an hour forward (past cooldowns, fallbackAfter, reclaimAfter and disruption
/// windows) and then ten minutes behind the cluster's, in the middle of a rebalance. Neither may cause a disruption
/// beyond the budget nor stall the rebalance until the clocks agree again.
/// </summary>
public sealed class ClockJumpTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Operator_clock_jumping_forward_and_back_mid_rebalance_breaks_no_invariant_and_does_not_stall()
    {
        var logs = new CapturingLoggerProvider();
        using var logging = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var env = await FaultEnvironment.StartAsync(logging);
        var clock = new JumpingClock();
        // A cooldown long enough that a clock stepping back by minutes would freeze the rebalance if it were trusted.
        var config = FaultEnvironment.Config() with
        {
            Controllers = FaultEnvironment.Config().Controllers with { Cooldown = TimeSpan.FromSeconds(1) },
        };
        await env.StartOperatorAsync(config, clock: clock);

        var report = await FaultSuiteTests.RebalanceUnderFaultAsync(env, FaultOptions.None, async () =>
        {
            await FaultEnvironment.WaitForAsync(() => env.Faults.CountOf("create", "pods/eviction") >= 2, "the rebalance to start");
            clock.Jump(TimeSpan.FromHours(1));
            await Task.Delay(TimeSpan.FromSeconds(3));
            clock.Jump(-TimeSpan.FromHours(1) - TimeSpan.FromMinutes(10));
            await Task.Delay(TimeSpan.FromSeconds(3));
        });

        output.WriteLine($"clock jumps (+1h, then -1h10m; operator clock ends {clock.Offset} off): {report}");
        Assert.Equal(2, clock.Jumps);
        Assert.Empty(report.Violations);
        // 12 pods move (6 per workload); retries of failed calls aside, no storm of evictions.
        Assert.InRange(report.EvictionRequests, 12, 36);
        SecretScan.AssertNoSecrets(logs.Lines, env);
        RbacRules.AssertOnlyGrantedCalls(env.Faults.Requests);
    }
}
