using System.Diagnostics;
using System.Globalization;
using Spotalis.Simulator.Faults;

namespace Spotalis.Benchmarks.Scale;

/// <summary>
/// <c>cold-start</c>: N Deployments x P pods all running on on-demand while their policy asks for 100 % spot; then the
/// operator starts (webhook over HTTPS, API over HTTP). Prints the time until its cache is synced, the time until every
/// workload is Balanced (or the progress at <c>--limit</c>), evictions/s achieved vs the rate limit, memory and CPU;
/// then <c>--steady</c> seconds of steady state with one spot interruption per second.
/// By default the operator runs in this process, so memory and CPU are of simulator + operator together. With
/// <c>--separate</c> the operator is the real <c>spotalis run</c> executable (<c>--spotalis path</c>, default the
/// Release build of src/Spotalis) in its own process, and its own RSS (VmRSS/VmHWM) and CPU (utime + stime) are read
/// from <c>/proc</c>, apart from the simulator's.
/// Options: <c>--workloads 5000 --pods 10 --rate 50 --cooldown 1 --limit 600 --steady 60 [--separate] [--settled] [--spotalis path] [--env KEY=VALUE]...</c>
/// (<c>--env</c>: added to the operator process's environment only, e.g. <c>DOTNET_GCgen0size</c>; <c>--settled</c>: the
/// pods start on spot, so every workload is Balanced when the operator starts: its start-up, memory and steady state at
/// a size whose cold start would take the eviction limit many minutes).
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
        var separate = args.Contains("--separate");
        var settled = args.Contains("--settled");
        var total = workloads * podsPer;
        Console.WriteLine($"cold-start: {workloads} workloads x {podsPer} pods = {total} pods, eviction rate limit {rate}/s, cooldown {cooldown.TotalSeconds}s, operator {(separate ? "in its own process" : "in this process")}");

        await using var cluster = await ScaleCluster.StartAsync(total, provisioning: steady > TimeSpan.Zero);
        var startOn = settled ? "spot" : "on-demand";
        var other = settled ? "on-demand" : "spot";
        cluster.SetSchedulable(other, false);
        var setup = Stopwatch.StartNew();
        await cluster.CreateWorkloadsAsync(workloads, podsPer, spotPercentage: 100, minOnDemand: 0);
        await WaitAsync(() => cluster.Splits().Values.Sum(s => settled ? s.Spot : s.OnDemand) >= total, TimeSpan.FromMinutes(20), $"pods Ready on {startOn}");
        Console.WriteLine($"setup: {total} pods Ready on {startOn} after {setup.Elapsed.TotalSeconds:F0} s");
        cluster.SetSchedulable(other, true);

        var before = ProcessSample.AfterFullCollection();
        var clock = Stopwatch.StartNew();
        OperatorProcess? child = null;
        IScaleOperator op;
        if (separate)
        {
            child = await cluster.StartOperatorProcessAsync(BenchArgs.Text(args, "--spotalis") ?? OperatorProcess.DefaultExecutable(), rate, cooldown, BenchArgs.All(args, "--env"));
            op = child;
        }
        else
        {
            op = new InProcessOperator(await cluster.StartOperatorAsync(ScaleCluster.Config(rate, cooldown)));
        }

        try
        {
            await WaitAsync(op.IsSyncedAsync, TimeSpan.FromMinutes(5), "cache synced");
            var synced = clock.Elapsed;
            Console.WriteLine($"operator cache synced after {synced.TotalSeconds:F2} s");
            await BalanceAsync(cluster, op, workloads, podsPer, rate, limit, clock, synced, before);
            if (settled)
            {
                await FirstPassAsync(op, workloads, clock);
            }

            if (steady > TimeSpan.Zero)
            {
                await SteadyStateAsync(cluster, op, steady);
            }
        }
        finally
        {
            if (child is not null)
            {
                await child.DisposeAsync();
            }
        }

        return 0;
    }

    private static async Task BalanceAsync(
        ScaleCluster cluster, IScaleOperator op, int workloads, int podsPer, double rate, TimeSpan limit, Stopwatch clock, TimeSpan synced, ProcessSample before)
    {
        var peakRss = 0L;
        var peakHeap = 0L;
        var balanced = 0;
        var lastReport = TimeSpan.Zero;
        var operatorBefore = op.Usage();
        while (clock.Elapsed < limit)
        {
            var sample = ProcessSample.Now();
            peakRss = Math.Max(peakRss, sample.RssBytes);
            peakHeap = Math.Max(peakHeap, sample.ManagedHeapBytes);
            balanced = cluster.Splits().Values.Count(s => s.Settled && s.Spot == podsPer && s.Total == podsPer);
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(15))
            {
                lastReport = clock.Elapsed;
                var usage = op.Usage();
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds:F0} s: {balanced}/{workloads} balanced, {cluster.Faults.CountOf("create", "pods/eviction")} evictions, operator RSS {ProcessSample.Mb(usage.RssBytes)} (peak {ProcessSample.Mb(usage.PeakRssBytes)}), CPU {usage.Cpu.TotalSeconds:F0} s");
            }

            if (balanced == workloads)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var elapsed = clock.Elapsed;
        var operatorAfter = op.Usage();
        var after = ProcessSample.Now();
        var evictions = cluster.Faults.CountOf("create", "pods/eviction");
        var evictionSeconds = (elapsed - synced).TotalSeconds;
        var afterGc = ProcessSample.AfterFullCollection();
        var benchScope = op is InProcessOperator ? "simulator + operator" : "simulator + benchmark, without the operator";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            RESULT cold-start workloads={workloads} pods={workloads * podsPer}
              cache synced: {synced.TotalSeconds:F2} s
              balanced: {balanced}/{workloads} after {elapsed.TotalSeconds:F1} s{(balanced < workloads ? " (time limit reached)" : "")}
              evictions: {evictions} in {evictionSeconds:F1} s = {evictions / evictionSeconds:F1}/s (limit {rate}/s)
              operator ({op.UsageScope}): CPU {operatorAfter.Cpu.TotalSeconds:F1} s in all, {(operatorAfter.Cpu - operatorBefore.Cpu).TotalSeconds:F1} s after the cache synced; RSS peak {ProcessSample.Mb(operatorAfter.PeakRssBytes)}, at the end {ProcessSample.Mb(operatorAfter.RssBytes)}{operatorAfter.Breakdown()}
              this process ({benchScope}): CPU {(after.Cpu - before.Cpu).TotalSeconds:F1} s; peak RSS {ProcessSample.Mb(peakRss)} ({ProcessSample.Mb(before.RssBytes)} before the operator started)
              managed heap of this process: peak {ProcessSample.Mb(peakHeap)}; after full GC {ProcessSample.Mb(afterGc.ManagedHeapBytes)} vs {ProcessSample.Mb(before.ManagedHeapBytes)} before the operator started
            """));
    }

    /// <summary>
    /// With <c>--settled</c> the cluster is Balanced before the operator starts, but the operator's first pass over
    /// every workload (deletion-cost annotations on every pod, then the pod events they cause) is still running: the
    /// steady state starts once it reports every workload Balanced and its reconcile rate has dropped.
    /// </summary>
    private static async Task FirstPassAsync(IScaleOperator op, int workloads, Stopwatch clock)
    {
        await WaitAsync(async () => await op.BalancedWorkloadsAsync() >= workloads, TimeSpan.FromMinutes(20), "the operator to report every workload Balanced");
        var reported = clock.Elapsed;
        var quietSince = Stopwatch.StartNew();
        var last = await op.ReconcilesAsync();
        // The resync alone looks at every workload once per 30 s (the benchmark's reconcileInterval): quiet is about that.
        var quiet = (workloads / 30.0 * 1.5) + 20;
        while (quietSince.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var now = await op.ReconcilesAsync();
            var rate = (now - last) / 5;
            last = now;
            if (rate < quiet)
            {
                break;
            }
        }

        var usage = op.Usage();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"operator first pass: every workload Balanced after {reported.TotalSeconds:F1} s, reconciles quiet after {clock.Elapsed.TotalSeconds:F1} s; {last:F0} reconciles, CPU {usage.Cpu.TotalSeconds:F1} s, RSS {ProcessSample.Mb(usage.RssBytes)} (peak {ProcessSample.Mb(usage.PeakRssBytes)})"));
    }

    private static async Task SteadyStateAsync(ScaleCluster cluster, IScaleOperator op, TimeSpan duration)
    {
        var random = new Random(7);
        var reconcilesBefore = await op.ReconcilesAsync();
        var successBefore = await op.ReconcilesAsync("success");
        var requeueBefore = await op.ReconcilesAsync("requeue");
        var before = op.Usage();
        var clock = Stopwatch.StartNew();
        var interruptions = 0;
        var interrupted = new HashSet<string>();
        var lowestRss = long.MaxValue;
        var highestRss = 0L;
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

            var rss = op.Usage().RssBytes;
            lowestRss = Math.Min(lowestRss, rss);
            highestRss = Math.Max(highestRss, rss);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var after = op.Usage();
        var seconds = clock.Elapsed.TotalSeconds;
        var reconciles = await op.ReconcilesAsync() - reconcilesBefore;
        var success = await op.ReconcilesAsync("success") - successBefore;
        var requeue = await op.ReconcilesAsync("requeue") - requeueBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            RESULT steady-state {seconds:F0} s with {interruptions} spot interruptions ({interruptions / seconds:F2}/s)
              reconciles: {reconciles / seconds:F1}/s ({reconciles:F0} in all: {success:F0} success, {requeue:F0} requeue, {reconciles - success - requeue:F0} error)
              operator ({op.UsageScope}): CPU {(after.Cpu - before.Cpu).TotalSeconds / seconds:F2} cores; RSS {ProcessSample.Mb(lowestRss)}-{ProcessSample.Mb(highestRss)}, at the end {ProcessSample.Mb(after.RssBytes)}{after.Breakdown()}, peak since start {ProcessSample.Mb(after.PeakRssBytes)}
            """));
        cluster.Faults.Configure(FaultOptions.None);
    }

    internal static Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitAsync(() => Task.FromResult(condition()), timeout, what);

    internal static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
