using Microsoft.Extensions.Logging;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Kubernetes;
using Spotalis.Operator.Observability;
using Spotalis.Resilience.Tests.Support;
using Spotalis.Simulator.Faults;
using Xunit.Abstractions;

namespace Spotalis.Resilience.Tests.Faults;

/// <summary>
/// The operator's watch cache against a server that answers every resumed watch with 410 Gone: it must back off
/// between relists instead of hammering the apiserver, and catch up once the watch is healthy again.
/// </summary>
public sealed class RelistBackoffTests(ITestOutputHelper output)
{
    private static readonly string[] Resources = ["namespaces", "nodes", "deployments", "replicasets", "statefulsets", "pods"];

    [Fact]
    public async Task Watch_cache_backs_off_between_relists_while_every_resume_gets_410_and_recovers_after()
    {
        var logs = new CapturingLoggerProvider();
        using var logging = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var env = await FaultEnvironment.StartAsync(logging);
        var metrics = new OperatorMetrics();
        var cache = new ClusterCache(KubernetesConnection.CreateClient(env.Simulation.KubeconfigPath), null, metrics, logging.CreateLogger<ClusterCache>());
        using var stop = new CancellationTokenSource();
        var running = cache.RunAsync(stop.Token);
        try
        {
            await FaultEnvironment.WaitForAsync(() => cache.IsSynced, "the cache to sync");
            var listsBefore = Resources.ToDictionary(r => r, r => env.Faults.CountOf("list", r));
            env.Faults.Configure(new FaultOptions { ExpireEveryWatchResume = true, DropWatchesAfter = TimeSpan.FromMilliseconds(300) });
            await Task.Delay(TimeSpan.FromSeconds(5));
            env.Faults.Configure(FaultOptions.None);
            var relists = Resources.ToDictionary(r => r, r => env.Faults.CountOf("list", r) - listsBefore[r]);
            var expired = env.Faults.Counts.WatchesExpired;
            output.WriteLine($"in 5 s of 410 on every resume: {expired} watches expired; relists {string.Join(", ", relists.Select(p => $"{p.Key}={p.Value}"))}; " +
                             $"spotalis_watch_restarts_total pods={metrics.WatchRestarts.WithLabels("pods").Value}");

            Assert.True(expired > 0, "no watch was expired");
            // Without backoff this was thousands per resource; with 200 ms doubling up to 30 s it is a handful.
            Assert.All(relists, pair => Assert.InRange(pair.Value, 1, 12));
            Assert.True(metrics.WatchRestarts.WithLabels("pods").Value >= 1, "watch restarts are not counted");
            Assert.Contains(logs.Lines, line => line.Contains("410 Gone", StringComparison.Ordinal) && line.Contains("relisting in", StringComparison.Ordinal));

            // Healthy again: a new object shows up in the cache (after at most the current backoff step).
            env.Api.EnsureNamespace("after-the-fault");
            await FaultEnvironment.WaitForAsync(() => cache.GetNamespaceLabels("after-the-fault") is not null, "the cache to see a namespace created after the fault");
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }
}
