using System.Diagnostics;
using System.Globalization;
using Spotalis.Simulator.Faults;

namespace Spotalis.Benchmarks.Scale;

/// <summary>
/// <c>cold-start</c>: N Deployments x P pods all running on on-demand while their policy asks for 100 % spot; then the
/// operator (in this process, webhook over HTTPS, API over HTTP) starts. Prints the time until its cache is synced,
/// the time until every workload is Balanced (or the progress at <c>--limit</c>), evictions/s achieved vs the rate
/// limit, memory and CPU; then <c>--steady</c> seconds of steady state with one spot interruption per second.
/// Memory and CPU are of the whole process (simulator + operator), so they bound the operator's from above.
/// Options: <c>--workloads 5000 --pods 10 --rate 50 --cooldown 1 --limit 600 --steady 60</c>.
/// </summary>
internal static class ColdStartBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var workloads = (int)BenchArgs.Number(args, "--workloads", 5000);
        var podsPer = (int)BenchArgs.Number(args, "--pods", 10);
        var rate = BenchArgs.Number(args, "--rate", 50);
        var cooldown = TimeSpan.FromSeconds(BenchArgs.Number(args, "--cooldown", 1));
        var limit = TimeSpan.FromSeconds(BenchArgs.Number(args, "--limit", 600));
        var steady = TimeSpan.FromSeconds(BenchArgs.Number(args, "--steady", 60));
        var total = workloads * podsPer;
        Console.WriteLine($"cold-start: {workloads} workloads x {podsPer} pods = {total} pods, eviction rate limit {rate}/s, cooldown {cooldown.TotalSeconds}s");

        await using var cluster = await ScaleCluster.StartAsync(total, provisioning: steady > TimeSpan.Zero);
        cluster.SetSchedulable("spot", false);
        var setup = Stopwatch.StartNew();
        await cluster.CreateWorkloadsAsync(workloads, podsPer, spotPercentage: 100, minOnDemand: 0);
        await WaitAsync(() => cluster.Splits().Values.Sum(s => s.OnDemand) >= total, TimeSpan.FromMinutes(20), "pods Ready on on-demand");
        Console.WriteLine($"setup: {total} pods Ready on on-demand after {setup.Elapsed.TotalSeconds:F0} s");
        cluster.SetSchedulable("spot", true);

        var before = ProcessSample.AfterFullCollection();
        var clock = Stopwatch.StartNew();
        var host = await cluster.StartOperatorAsync(ScaleCluster.Config(rate, cooldown));
        await WaitAsync(() => host.Cache.IsSynced, TimeSpan.FromMinutes(5), "cache synced");
        var synced = clock.Elapsed;
        Console.WriteLine($"operator cache synced after {synced.TotalSeconds:F2} s");

        var peakRss = 0L;
        var peakHeap = 0L;
        var balanced = 0;
        var lastReport = TimeSpan.Zero;
        while (clock.Elapsed < limit)
        {
            var sample = ProcessSample.Now();
            peakRss = Math.Max(peakRss, sample.RssBytes);
            peakHeap = Math.Max(peakHeap, sample.ManagedHeapBytes);
            balanced = cluster.Splits().Values.Count(s => s.Settled && s.Spot == podsPer && s.Total == podsPer);
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(15))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds:F0} s: {balanced}/{workloads} balanced, {cluster.Faults.CountOf("create", "pods/eviction")} evictions, RSS {ProcessSample.Mb(sample.RssBytes)}");
            }

            if (balanced == workloads)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var elapsed = clock.Elapsed;
        var after = ProcessSample.Now();
        var evictions = cluster.Faults.CountOf("create", "pods/eviction");
        var evictionSeconds = (elapsed - synced).TotalSeconds;
        var afterGc = ProcessSample.AfterFullCollection();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            RESULT cold-start workloads={workloads} pods={total}
              cache synced: {synced.TotalSeconds:F2} s
              balanced: {balanced}/{workloads} after {elapsed.TotalSeconds:F1} s{(balanced < workloads ? " (time limit reached)" : "")}
              evictions: {evictions} in {evictionSeconds:F1} s = {evictions / evictionSeconds:F1}/s (limit {rate}/s)
              process CPU during the run: {(after.Cpu - before.Cpu).TotalSeconds:F1} s (simulator + operator)
              peak RSS: {ProcessSample.Mb(peakRss)} (simulator + operator; {ProcessSample.Mb(before.RssBytes)} before the operator started)
              managed heap: peak {ProcessSample.Mb(peakHeap)}; after full GC {ProcessSample.Mb(afterGc.ManagedHeapBytes)} vs {ProcessSample.Mb(before.ManagedHeapBytes)} before the operator started (operator's live share ~ {ProcessSample.Mb(afterGc.ManagedHeapBytes - before.ManagedHeapBytes)})
            """));

        if (steady > TimeSpan.Zero)
        {
            await SteadyStateAsync(cluster, steady);
        }

        return 0;
    }

    private static async Task SteadyStateAsync(ScaleCluster cluster, TimeSpan duration)
    {
        var random = new Random(7);
        var reconcilesBefore = cluster.Reconciles();
        var before = ProcessSample.Now();
        var clock = Stopwatch.StartNew();
        var interruptions = 0;
        var interrupted = new HashSet<string>();
        while (clock.Elapsed < duration)
        {
            var spotNodes = cluster.Api.List<k8s.Models.V1Node>()
                .Where(n => ScaleCluster.Label(n.Metadata.Labels, ScaleCluster.CapacityLabel) == "spot" && !interrupted.Contains(n.Metadata.Name))
                .Select(n => n.Metadata.Name).ToList();
            if (spotNodes.Count > 0 && spotNodes[random.Next(spotNodes.Count)] is var victim && interrupted.Add(victim) &&
                cluster.Simulation.Cluster.Interrupt(victim))
            {
                interruptions++;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var after = ProcessSample.Now();
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            RESULT steady-state {seconds:F0} s with {interruptions} spot interruptions ({interruptions / seconds:F2}/s)
              reconciles: {(cluster.Reconciles() - reconcilesBefore) / seconds:F1}/s
              process CPU: {(after.Cpu - before.Cpu).TotalSeconds / seconds:F2} cores (simulator + operator)
              RSS at the end: {ProcessSample.Mb(after.RssBytes)}
            """));
        cluster.Faults.Configure(FaultOptions.None);
    }

    internal static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
