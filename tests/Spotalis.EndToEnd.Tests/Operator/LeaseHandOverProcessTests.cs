using System.Diagnostics;
using k8s.Models;
using Spotalis.Testing;
using Xunit.Abstractions;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>Two real <c>spotalis run</c> processes with leader election (Lease 3 s, renew deadline 2 s, retry 500 ms).</summary>
public sealed class LeaseHandOverProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(500);

    [Fact]
    [Trait("Category", SpotalisExecutable.NativeAotCategory)]
    public async Task Sigterm_to_the_leader_hands_the_lease_to_the_follower_within_the_retry_period_plus_one_second()
    {
        await using var env = await OperatorTestEnvironment.StartAsync(useTls: true);
        using var first = SpotalisRunProcess.Start(env.KubeconfigPath, "lease-a", leaderElection: true);
        using var second = SpotalisRunProcess.Start(env.KubeconfigPath, "lease-b", leaderElection: true);
        try
        {
            await ExactPlacementProcessTests.StartServingAsync(env, first, second);
            await OperatorTestCluster.WaitForAsync(() => SpotalisRunProcess.LeaseHolder(env.Api) is "lease-a" or "lease-b", "a leader");
            var leader = SpotalisRunProcess.LeaseHolder(env.Api) == first.Identity ? first : second;
            var follower = leader == first ? second : first;

            // A second cycle: the leader has renewed the Lease at least once and the follower has seen it held.
            var renewed = Lease(env)?.Spec?.RenewTime;
            await OperatorTestCluster.WaitForAsync(() => Lease(env)?.Spec?.RenewTime != renewed, "the leader to renew its Lease");

            var sinceTerm = Stopwatch.StartNew();
            var terminated = leader.TerminateAsync();
            while (SpotalisRunProcess.LeaseHolder(env.Api) != follower.Identity && sinceTerm.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }

            var handOver = sinceTerm.Elapsed;
            await terminated;
            output.WriteLine($"{leader.Identity} got SIGTERM; {follower.Identity} held the Lease {handOver.TotalMilliseconds:F0} ms later");
            Assert.Equal(follower.Identity, SpotalisRunProcess.LeaseHolder(env.Api));
            Assert.True(handOver <= RetryPeriod + TimeSpan.FromSeconds(1), $"hand-over took {handOver.TotalMilliseconds:F0} ms");
            Assert.Contains(leader.Lines, line => line.Contains("released the lease", StringComparison.Ordinal));
        }
        catch
        {
            output.WriteLine(string.Join('\n', first.Lines.TakeLast(100).Concat(second.Lines.TakeLast(100))));
            throw;
        }
    }

    private static V1Lease? Lease(OperatorTestEnvironment env) =>
        env.Api.Get<V1Lease>(SpotalisRunProcess.OperatorNamespace, SpotalisRunProcess.LeaseName);
}
