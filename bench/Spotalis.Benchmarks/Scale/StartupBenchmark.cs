using System.Diagnostics;
using System.Globalization;

namespace Spotalis.Benchmarks.Scale;

/// <summary>
/// <c>startup</c>: publishes <c>src/Spotalis</c> framework-dependent (Release) to a temporary folder and prints its size,
/// then starts the published <c>spotalis run</c> against the simulator <c>--repetitions</c> times per cluster size
/// (<c>--workloads</c>, repeatable; default 0 and 500 Deployments of 10 pods, already Balanced at 0 % spot) and prints the
/// median and maximum time from process start to <c>/healthz</c> 200 (serving) and <c>/readyz</c> 200 (cache synced),
/// with the RSS when ready. Webhook enabled (self-managed certificates), leader election off.
/// Options: <c>--repetitions 5 --workloads 0 --workloads 500 [--spotalis path] [--no-publish] [--env KEY=VALUE]...</c>.
/// </summary>
internal static class StartupBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var repetitions = (int)BenchArgs.Number(args, "--repetitions", 5);
        var sizes = BenchArgs.All(args, "--workloads") is { Count: > 0 } given
            ? given.Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToList()
            : [0, 500];
        var environment = BenchArgs.All(args, "--env");
        string? published = null;
        try
        {
            var executable = BenchArgs.Text(args, "--spotalis");
            if (executable is null && !args.Contains("--no-publish"))
            {
                published = Directory.CreateTempSubdirectory("spotalis-publish-").FullName;
                executable = await PublishAsync(published);
            }

            executable ??= OperatorProcess.DefaultExecutable();
            Console.WriteLine($"startup: {executable}, {repetitions} repetitions per size");
            foreach (var workloads in sizes)
            {
                await MeasureAsync(executable, workloads, repetitions, environment);
            }
        }
        finally
        {
            if (published is not null)
            {
                Directory.Delete(published, recursive: true);
            }
        }

        return 0;
    }

    private static async Task<string> PublishAsync(string output)
    {
        var project = RepositoryFile(Path.Combine("src", "Spotalis", "Spotalis.csproj"));
        var info = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", output, "-v", "q", "-nologo"]) { UseShellExecute = false };
        using var publish = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet publish");
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish exited with {publish.ExitCode}");
        }

        var files = new DirectoryInfo(output).EnumerateFiles("*", SearchOption.AllDirectories).ToList();
        var ownAssemblies = files.Where(f => f.Name.StartsWith("spotalis", StringComparison.OrdinalIgnoreCase) || f.Name.StartsWith("Spotalis.", StringComparison.Ordinal)).Sum(f => f.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            RESULT publish (framework-dependent, Release): {files.Count} files, {files.Sum(f => f.Length) / 1024.0 / 1024.0:F1} MB in all, of which Spotalis's own assemblies {ownAssemblies / 1024.0 / 1024.0:F1} MB
            """));
        foreach (var largest in files.OrderByDescending(f => f.Length).Take(5))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {largest.Name}: {largest.Length / 1024.0 / 1024.0:F1} MB"));
        }

        return Path.Combine(output, "spotalis");
    }

    private static async Task MeasureAsync(string executable, int workloads, int repetitions, IReadOnlyList<string> environment)
    {
        const int PodsPer = 10;
        await using var cluster = await ScaleCluster.StartAsync(workloads * PodsPer);
        await cluster.CreateWorkloadsAsync(workloads, PodsPer, spotPercentage: 0, minOnDemand: 0);
        await ColdStartBenchmark.WaitAsync(() => cluster.Splits().Values.Sum(s => s.Total) >= workloads * PodsPer && cluster.Splits().Values.All(s => s.Settled), TimeSpan.FromMinutes(10), "pods Ready");
        var serving = new List<double>();
        var ready = new List<double>();
        var rss = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            await using var process = await cluster.StartOperatorProcessAsync(executable, evictionsPerSecond: 50, TimeSpan.FromSeconds(1), environment);
            await process.WaitUntilAsync("healthz", TimeSpan.FromMinutes(2));
            serving.Add(clock.Elapsed.TotalSeconds);
            await process.WaitUntilAsync("readyz", TimeSpan.FromMinutes(5));
            ready.Add(clock.Elapsed.TotalSeconds);
            var usage = process.Usage();
            rss.Add(usage.RssBytes / 1024.0 / 1024.0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {workloads} workloads, run {i + 1}: serving {serving[^1]:F2} s, ready {ready[^1]:F2} s, RSS {rss[^1]:F0} MB{usage.Breakdown()}, CPU {usage.Cpu.TotalSeconds:F1} s"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            RESULT startup workloads={workloads} pods={workloads * PodsPer} repetitions={repetitions}
              process start to /healthz 200: median {Median(serving):F2} s, max {serving.Max():F2} s
              process start to /readyz 200 (cache synced): median {Median(ready):F2} s, max {ready.Max():F2} s
              RSS when ready: median {Median(rss):F0} MB
            """));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string RepositoryFile(string relative)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
