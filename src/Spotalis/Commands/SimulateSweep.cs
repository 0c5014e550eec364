using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Spotalis.Reporting;
using Spotalis.Scenarios;
using Spotalis.Simulation;

namespace Spotalis.Commands;

/// <summary>`spotalis simulate --sweep`: runs the grid, writes every point's run and the sweep, prints the recommendations.</summary>
public static class SimulateSweep
{
    /// <summary>With at most this many workloads the points table gets one column per workload.</summary>
    private const int WorkloadColumns = 6;

    public sealed record Settings(
        Scenario Scenario,
        Reproduction Reproduction,
        int? Seed,
        TimeSpan WallClockLimitPerPoint,
        IReadOnlyList<int> SpotPercentages,
        IReadOnlyList<int>? MinOnDemands,
        string SweepText,
        string? FloorsText,
        int Parallelism,
        string Directory,
        bool Json,
        bool Check);

    public static async Task<int> RunAsync(Settings settings, TextWriter console, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        var wall = Stopwatch.StartNew();
        var runner = new SweepRunner(settings.Scenario, settings.Seed, settings.WallClockLimitPerPoint, settings.SpotPercentages, settings.MinOnDemands, settings.Parallelism)
        {
            Progress = (point, done, total) =>
            {
                lock (error)
                {
                    error.WriteLine($"sweep: {done}/{total} done ({SweepRunner.DirectoryOf(point)})");
                }
            },
        };
        var (sweep, runs) = await runner.RunAsync(cancellationToken);
        wall.Stop();
        sweep = sweep with { Reproduce = settings.Reproduction.ForSweep(sweep.Seed, settings.SweepText, settings.FloorsText) };

        Directory.CreateDirectory(settings.Directory);
        var grid = runner.Grid;
        for (var i = 0; i < grid.Count; i++)
        {
            var run = runs[i] with { Reproduce = settings.Reproduction.ForRun(runs[i].Seed, grid[i]) };
            var folder = Path.Combine(settings.Directory, sweep.Points[i].Directory);
            Directory.CreateDirectory(folder);
            await SummaryJson.WriteAsync(run, Path.Combine(folder, "summary.json"), cancellationToken);
            await ReportWriter.WriteAsync(run, Path.Combine(folder, "report.html"), cancellationToken);
        }

        var sweepPath = Path.Combine(settings.Directory, "sweep.json");
        var reportPath = Path.Combine(settings.Directory, "report.html");
        await File.WriteAllTextAsync(sweepPath, SummaryJson.Serialize(sweep) + Environment.NewLine, cancellationToken);
        await SweepReportWriter.WriteAsync(sweep, reportPath, cancellationToken);

        if (settings.Json)
        {
            await console.WriteLineAsync(SummaryJson.Serialize(sweep));
        }
        else
        {
            StatusCommand.Render(console, Describe(sweep));
            await console.WriteLineAsync(
                $"Ran {sweep.Points.Count} points of {sweep.Scenario.Duration} cluster time each in {wall.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s of wall time ({settings.Parallelism} at once).");
            await console.WriteLineAsync($"Wrote {sweepPath}, {reportPath} and one folder per point");
            await console.WriteLineAsync($"Reproduce with: {sweep.Reproduce!.Command}");
        }

        var failed = sweep.Points.Where(p => p.Outcome == RunOutcome.Failed).ToList();
        foreach (var point in failed)
        {
            await error.WriteLineAsync($"error: the run at {SweepRunner.Describe(point)} failed: {point.FailureReason}");
        }

        if (failed.Count > 0)
        {
            return ExitCodes.Failure;
        }

        return settings.Check && sweep.Recommendations.Any(r => r.SpotPercentage is not { } safe || r.CurrentSpotPercentage > safe) ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>The recommendation per workload, then one row per point with its savings.</summary>
    public static IRenderable Describe(SweepSummary sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var floors = sweep.MinOnDemands is not null;
        var header = new Markup(
            $"[bold]{Markup.Escape(sweep.Scenario.Name)}[/] (seed {sweep.Seed}): sweep of {sweep.Points.Count} points\n" +
            $"availability criteria per workload: {Markup.Escape(string.Join(", ", sweep.Criteria))}");

        var recommended = new Table().Border(TableBorder.Simple).Title("recommended spot share per workload");
        recommended.AddColumn("WORKLOAD");
        recommended.AddColumn(new TableColumn("NOW").RightAligned());
        recommended.AddColumn(new TableColumn("RECOMMENDED").RightAligned());
        recommended.AddColumn(new TableColumn("SAVINGS").RightAligned());
        recommended.AddColumn("FIRST UNMET");
        foreach (var r in sweep.Recommendations)
        {
            var now = $"{r.CurrentSpotPercentage} % / floor {r.CurrentMinOnDemand}";
            var best = r.SpotPercentage is { } spot
                ? $"{spot} %" + (floors ? $" / floor {r.MinOnDemand}" : string.Empty)
                : "none";
            var color = r.SpotPercentage is not { } safe ? "red" : r.CurrentSpotPercentage > safe ? "yellow" : "green";
            recommended.AddRow(new Text(r.Workload), new Text(now), new Markup($"[{color}]{Markup.Escape(best)}[/]"), new Text(r.SavingsPercent is { } s ? $"{N(s)} %" : "n/a"),
                new Text(r.FirstUnmet ?? "-"));
        }

        var points = new Table().Border(TableBorder.Simple).Title("savings at each point");
        points.AddColumn(new TableColumn("SPOT %").RightAligned());
        if (floors)
        {
            points.AddColumn(new TableColumn("FLOOR").RightAligned());
        }

        points.AddColumn(new TableColumn("RUN SAVINGS").RightAligned());
        points.AddColumn(new TableColumn("MEET CRITERIA").RightAligned());
        var perWorkload = sweep.Recommendations.Count <= WorkloadColumns;
        if (perWorkload)
        {
            foreach (var r in sweep.Recommendations)
            {
                points.AddColumn(new TableColumn(r.Workload.ToUpperInvariant()).RightAligned());
            }
        }

        foreach (var p in sweep.Points)
        {
            var cells = new List<IRenderable> { new Text(p.SpotPercentage.ToString(CultureInfo.InvariantCulture)) };
            if (floors)
            {
                cells.Add(new Text(p.MinOnDemand?.ToString(CultureInfo.InvariantCulture) ?? "-"));
            }

            cells.Add(new Text(p.Outcome == RunOutcome.Failed ? "run failed" : p.SavingsPercent is { } s ? $"{N(s)} %" : "n/a"));
            cells.Add(new Text($"{p.Workloads.Count(w => w.Met)}/{p.Workloads.Count}"));
            if (perWorkload)
            {
                cells.AddRange(p.Workloads.Select(w => (IRenderable)new Markup(
                    (w.SavingsPercent is { } ws ? $"{N(ws)} % " : "n/a ") + (w.Met ? "[green]met[/]" : "[red]unmet[/]"))));
            }

            points.AddRow(cells);
        }

        return new Rows(header, recommended, points);
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
