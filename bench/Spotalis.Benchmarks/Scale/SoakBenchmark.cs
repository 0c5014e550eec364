using System.Diagnostics;
using System.Globalization;
using Spotalis.Simulator.Faults;
using Spotalis.Testing;

namespace Spotalis.Benchmarks.Scale;

/// <summary>
/// <c>soak</c>: the long mixed-fault run. Workloads of 8 pods (floor 2) change their spot share every cycle while the
/// simulator's API cycles through every fault class (30 s each; the operator's clock jumps +1 h and -1 h 10 min in the
/// clock-jumps cycle); a checker samples every 100 ms for Ready pods below replicas - 1 and Ready on-demand below the
/// floor, and counts pod DELETE calls. At the end the faults stop and every workload must balance.
/// Options: <c>--minutes 10 --workloads 20</c>.
/// </summary>
internal static class SoakBenchmark
{
    private const int Replicas = 8;
    private const int Floor = 2;
    private const string ClockJumps = "clock-jumps";
    private static readonly TimeSpan Cycle = TimeSpan.FromSeconds(30);

    private static readonly (string Name, FaultOptions Faults)[] Classes =
    [
        ("stale-reads", new FaultOptions { StaleReads = TimeSpan.FromSeconds(2), DropWatchesAfter = TimeSpan.FromSeconds(3), ExpireWatchResumes = true }),
        ("webhook-refused", new FaultOptions { WebhookOutage = WebhookOutage.ConnectionRefused }),
        ("webhook-timeout", new FaultOptions { WebhookOutage = WebhookOutage.Timeout }),
        ("watch-always-expired", new FaultOptions { DropWatchesAfter = TimeSpan.FromSeconds(3), ExpireEveryWatchResume = true }),
        (ClockJumps, FaultOptions.None),
        ("api-errors", new FaultOptions { ErrorRate = 0.3 }),
        ("eviction-errors", new FaultOptions { ErrorRate = 0.6, ErrorResources = new HashSet<string> { "pods/eviction" } }),
        ("latency", new FaultOptions { AddedLatency = TimeSpan.FromMilliseconds(400) }),
        ("watch-drops", new FaultOptions { DropWatchesAfter = TimeSpan.FromSeconds(2) }),
        ("watch-expired", new FaultOptions { DropWatchesAfter = TimeSpan.FromSeconds(3), ExpireWatchResumes = true }),
        ("conflicts", new FaultOptions { ConflictRate = 0.7 }),
        ("eviction-hang", new FaultOptions { EvictionHang = TimeSpan.FromSeconds(3) }),
        ("mixed", new FaultOptions
        {
            ErrorRate = 0.15, AddedLatency = TimeSpan.FromMilliseconds(100), DropWatchesAfter = TimeSpan.FromSeconds(2), ExpireWatchResumes = true,
            ConflictRate = 0.3, StaleReads = TimeSpan.FromSeconds(1), WebhookOutage = WebhookOutage.ConnectionRefused,
        }),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var minutes = BenchArgs.Number(args, "--minutes", 10);
        var workloads = (int)BenchArgs.Number(args, "--workloads", 20);
        await using var cluster = await ScaleCluster.StartAsync(workloads * Replicas, podsPerNode: 40);
        var clock = new JumpingClock();
        await cluster.StartOperatorAsync(ScaleCluster.Config(evictionsPerSecond: 20, cooldown: TimeSpan.FromMilliseconds(500)), clock);
        await cluster.CreateWorkloadsAsync(workloads, Replicas, spotPercentage: 0, minOnDemand: Floor);
        await ColdStartBenchmark.WaitAsync(() => Balanced(cluster, 0) == workloads, TimeSpan.FromMinutes(5), "workloads settled on on-demand");

        var violations = 0L;
        var samples = 0L;
        using var stop = new CancellationTokenSource();
        var checker = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var (_, split) in cluster.Splits())
                {
                    if (split.Spot + split.OnDemand < Replicas - 1 || split.OnDemand < Floor)
                    {
                        Interlocked.Increment(ref violations);
                    }
                }

                samples++;
                await Task.Delay(100, CancellationToken.None);
            }
        });

        var random = new Random(3);
        var clockSeconds = Stopwatch.StartNew();
        var cycle = 0;
        var perClass = new Dictionary<string, ClassFigures>(StringComparer.Ordinal);
        var evictionsBefore = 0L;
        while (clockSeconds.Elapsed < TimeSpan.FromMinutes(minutes))
        {
            var (name, faults) = Classes[cycle++ % Classes.Length];
            var injectedBefore = cluster.Faults.Counts;
            var violationsBefore = Interlocked.Read(ref violations);
            var jumpsBefore = clock.Jumps;
            cluster.Faults.Configure(faults);
            foreach (var i in Enumerable.Range(0, workloads).Where(_ => random.Next(2) == 0))
            {
                var share = random.Next(0, 101);
                cluster.Api.Mutate<k8s.Models.V1Deployment>($"team-{i % 50:D2}", $"app-{i:D5}", d =>
                {
                    d.Metadata.Annotations["spotalis.io/spot-percentage"] = share.ToString(CultureInfo.InvariantCulture);
                    return true;
                });
            }

            Console.WriteLine($"  {clockSeconds.Elapsed.TotalMinutes:F1} min: fault class {name}; injected so far {cluster.Faults.Counts.Total}; violations {Interlocked.Read(ref violations)}");
            if (name == ClockJumps)
            {
                // Past every cooldown, fallbackAfter and reclaimAfter, then ten minutes behind the cluster, then agreeing again.
                clock.Jump(TimeSpan.FromHours(1));
                await Task.Delay(Cycle / 3);
                clock.Jump(-TimeSpan.FromHours(1) - TimeSpan.FromMinutes(10));
                await Task.Delay(Cycle / 3);
                clock.Jump(TimeSpan.FromMinutes(10));
                await Task.Delay(Cycle / 3);
            }
            else
            {
                await Task.Delay(Cycle);
            }

            var evictions = cluster.Faults.CountOf("create", "pods/eviction");
            var figures = perClass.GetValueOrDefault(name) ?? new ClassFigures(0, 0, 0, 0);
            perClass[name] = new ClassFigures(
                figures.Cycles + 1,
                figures.Injected + cluster.Faults.Counts.Since(injectedBefore).Total + (clock.Jumps - jumpsBefore),
                figures.Evictions + (evictions - evictionsBefore),
                figures.Violations + (Interlocked.Read(ref violations) - violationsBefore));
            evictionsBefore = evictions;
        }

        cluster.Faults.Configure(FaultOptions.None);
        foreach (var i in Enumerable.Range(0, workloads))
        {
            cluster.Api.Mutate<k8s.Models.V1Deployment>($"team-{i % 50:D2}", $"app-{i:D5}", d =>
            {
                d.Metadata.Annotations["spotalis.io/spot-percentage"] = "75";
                return true;
            });
        }

        var recovery = Stopwatch.StartNew();
        var expectedSpot = Replicas * 75 / 100;
        var recovered = true;
        try
        {
            await ColdStartBenchmark.WaitAsync(() => Balanced(cluster, expectedSpot) == workloads, TimeSpan.FromMinutes(5), "every workload balanced after the faults");
        }
        catch (TimeoutException)
        {
            recovered = false;
        }

        await stop.CancelAsync();
        await checker;
        var deletes = cluster.Faults.CountOf("delete", "pods") + cluster.Faults.CountOf("deletecollection", "pods");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            RESULT soak {clockSeconds.Elapsed.TotalMinutes:F1} min, {workloads} workloads x {Replicas} pods, {cycle} fault cycles
              faults injected: {cluster.Faults.Counts.Total} ({cluster.Faults.Counts})
              evictions: {cluster.Faults.CountOf("create", "pods/eviction")}; pod DELETE calls: {deletes}
              operator clock jumps: {clock.Jumps}
              invariant samples: {samples}; violations: {violations}
              balanced after the faults stopped: {(recovered ? $"yes, in {recovery.Elapsed.TotalSeconds:F1} s" : "NO (5 min limit)")}
            """));
        Console.WriteLine("  per class: cycles, faults injected (clock jumps count as faults), evictions, violations");
        foreach (var (name, figures) in perClass)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {name}: {figures.Cycles}, {figures.Injected}, {figures.Evictions}, {figures.Violations}"));
        }

        return violations == 0 && deletes == 0 && recovered ? 0 : 1;
    }

    /// <summary>What the cycles of one fault class saw.</summary>
    private sealed record ClassFigures(int Cycles, long Injected, long Evictions, long Violations);

    private static int Balanced(ScaleCluster cluster, int spot) =>
        cluster.Splits().Values.Count(s => s.Settled && s.Total == Replicas && s.Spot == spot && s.OnDemand == Replicas - spot);
}
