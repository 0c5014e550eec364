using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spotalis.Core.Timing;
using Spotalis.Reporting;
using Spotalis.Scenarios;
using Spotalis.Simulation;

namespace Spotalis.Commands;

/// <summary>
/// `spotalis simulate`: a what-if experiment on the simulator with the real operator and webhook, on an accelerated
/// clock — one run, or with --sweep one run per grid point and a recommended spot share per workload. The sweep is
/// an option of simulate rather than its own command because every point is an ordinary simulate run (same scenario,
/// seed, outputs and exit codes) that can be reproduced alone with --spot-percentage.
/// </summary>
public static class SimulateCommand
{
    /// <summary>The Examples section of `simulate --help` (what each does, and the line to paste).</summary>
    public static IReadOnlyList<(string What, string Line)> Examples { get; } =
    [
        ("Run a scenario and open its report", "spotalis simulate examples/scenarios/spot-drought.yaml --out /tmp/drought"),
        ("The same run again with another seed, failing CI unless the hypothesis holds", "spotalis simulate examples/scenarios/spot-drought.yaml --seed 4 --check"),
        ("What if every workload ran 90 % spot with 3 on-demand replicas?", "spotalis simulate examples/scenarios/steady-web-service.yaml --spot-percentage 90 --min-on-demand 3"),
        ("How much can I safely put on spot? Try 0-100 % in steps of 10", "spotalis simulate examples/scenarios/steady-web-service.yaml --sweep 0:100:10 --out /tmp/sweep"),
        ("Also try on-demand floors 1 to 3", "spotalis simulate examples/scenarios/steady-web-service.yaml --sweep 0:100:20 --sweep-floors 1:3:1"),
    ];

    public static Command Create()
    {
        var scenario = new Argument<FileInfo>("scenario") { Description = "The scenario YAML file (see examples/scenarios/)." };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Where to write summary.json and report.html (default: sim-out/<scenario name>, or sim-out/<scenario name>-sweep with --sweep)." };
        var seed = new Option<int?>("--seed") { Description = "Seed for interruptions and names (default: the scenario's seed). The same seed gives the same summary." };
        var timeout = new Option<string>("--timeout") { Description = "Wall-clock limit of a run (of each point with --sweep); the run is Failed when it passes.", DefaultValueFactory = _ => "10m" };
        var check = new Option<bool>("--check") { Description = "Exit 1 unless the hypothesis is validated (for CI). With --sweep: exit 1 when a workload's spot percentage is above its recommended one." };
        var spotPercentage = new Option<int?>("--spot-percentage") { HelpName = "PERCENT", Description = "Run with every workload's spotalis.io/spot-percentage set to this (0-100) instead of the scenario's." };
        var minOnDemand = new Option<int?>("--min-on-demand") { HelpName = "FLOOR", Description = "Run with every workload's spotalis.io/min-on-demand set to this (>= 0) instead of the scenario's." };
        var sweep = new Option<string?>("--sweep") { HelpName = "GRID", Description = "Run once per spot percentage of this grid (from:to:step such as 0:100:10, or a list such as 0,50,70) and recommend per workload the highest share that meets the scenario's availability criteria." };
        var sweepFloors = new Option<string?>("--sweep-floors") { HelpName = "GRID", Description = "With --sweep: also try these on-demand floors (from:to:step or a list, e.g. 0:3:1); every spot percentage runs with every floor." };
        var parallel = new Option<int>("--parallel") { Description = "With --sweep: how many points run at once (on a busy 2-core machine two at once were slower than one; see docs/benchmarks.md).", HelpName = "N", DefaultValueFactory = _ => 1 };
        var output = OutputFormat.CreateOption();
        var command = new Command("simulate", "Run a what-if scenario on a simulated cluster with the real operator and webhook, and write summary.json and report.html.")
        {
            scenario, outDir, seed, timeout, check, spotPercentage, minOnDemand, sweep, sweepFloors, parallel, output,
        };
        CommandHelp.AddExamples(command, [.. Examples]);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!GoDuration.TryParse(parse.GetValue(timeout), out var limit) || limit <= TimeSpan.Zero)
            {
                await error.WriteLineAsync($"error: --timeout '{parse.GetValue(timeout)}' is not a positive Go-style duration such as 90s or 10m");
                return ExitCodes.Usage;
            }

            var policy = new PolicyOverride(parse.GetValue(spotPercentage), parse.GetValue(minOnDemand));
            var sweepText = parse.GetValue(sweep);
            var floorsText = parse.GetValue(sweepFloors);
            if (Validate(policy, sweepText, floorsText, parse.GetValue(parallel)) is { } usage)
            {
                await error.WriteLineAsync("error: " + usage);
                return ExitCodes.Usage;
            }

            var path = parse.GetValue(scenario)!.FullName;
            Scenario loaded;
            try
            {
                loaded = ScenarioLoader.LoadFile(path);
            }
            catch (ScenarioException e)
            {
                await error.WriteLineAsync("error: " + e.Message);
                return ExitCodes.Usage;
            }

            var reproduction = Reproduction.Of(parse.GetValue(scenario)!.ToString());
            if (sweepText is not null)
            {
                SweepGrid.TryParse(sweepText, 0, 100, out var percentages, out _);
                IReadOnlyList<int>? floors = null;
                if (floorsText is not null)
                {
                    SweepGrid.TryParse(floorsText, 0, ScenarioLoader.MaxReplicas, out var parsedFloors, out _);
                    floors = parsedFloors;
                }

                var settings = new SimulateSweep.Settings(loaded, reproduction, parse.GetValue(seed), limit, percentages, floors, sweepText, floorsText, parse.GetValue(parallel),
                    parse.GetValue(outDir)?.FullName ?? Path.Combine("sim-out", loaded.Name + "-sweep"), parse.GetValue(output) == OutputFormat.Json, parse.GetValue(check));
                return await SimulateSweep.RunAsync(settings, parse.InvocationConfiguration.Output, error, cancellationToken);
            }

            return await RunOnceAsync(parse, policy.Apply(loaded), reproduction, policy, parse.GetValue(seed), limit, parse.GetValue(outDir)?.FullName ?? Path.Combine("sim-out", loaded.Name),
                parse.GetValue(output) == OutputFormat.Json, parse.GetValue(check), cancellationToken);
        });
        return command;
    }

    private static string? Validate(PolicyOverride policy, string? sweep, string? floors, int parallel)
    {
        if (policy.SpotPercentage is < 0 or > 100)
        {
            return $"--spot-percentage {policy.SpotPercentage} is outside 0-100";
        }

        if (policy.MinOnDemand is < 0)
        {
            return $"--min-on-demand {policy.MinOnDemand} is negative";
        }

        if (sweep is not null && policy.SpotPercentage is not null)
        {
            return "--sweep and --spot-percentage cannot be used together: the sweep sets the spot percentage of every point";
        }

        if (floors is not null && sweep is null)
        {
            return "--sweep-floors needs --sweep (e.g. --sweep 0:100:10 --sweep-floors 0:3:1)";
        }

        if (floors is not null && policy.MinOnDemand is not null)
        {
            return "--sweep-floors and --min-on-demand cannot be used together: the sweep sets the floor of every point";
        }

        if (sweep is not null && !SweepGrid.TryParse(sweep, 0, 100, out _, out var sweepError))
        {
            return $"--sweep '{sweep}' {sweepError}";
        }

        if (floors is not null && !SweepGrid.TryParse(floors, 0, ScenarioLoader.MaxReplicas, out _, out var floorsError))
        {
            return $"--sweep-floors '{floors}' {floorsError}";
        }

        return parallel < 1 ? $"--parallel {parallel} must be at least 1" : null;
    }

    private static async Task<int> RunOnceAsync(
        ParseResult parse, Scenario scenario, Reproduction reproduction, PolicyOverride policy, int? seed, TimeSpan limit, string directory, bool json, bool check, CancellationToken cancellationToken)
    {
        var console = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var wall = Stopwatch.StartNew();
        var summary = await new SimulationRunner(scenario, seed, limit).RunAsync(cancellationToken);
        wall.Stop();
        summary = summary with { Reproduce = reproduction.ForRun(summary.Seed, policy) };
        Directory.CreateDirectory(directory);
        var summaryPath = Path.Combine(directory, "summary.json");
        var reportPath = Path.Combine(directory, "report.html");
        await SummaryJson.WriteAsync(summary, summaryPath, cancellationToken);
        await ReportWriter.WriteAsync(summary, reportPath, cancellationToken);

        if (json)
        {
            await console.WriteLineAsync(SummaryJson.Serialize(summary));
        }
        else
        {
            StatusCommand.Render(console, Describe(summary));
            await console.WriteLineAsync($"Simulated {summary.Scenario.Duration} of cluster time in {wall.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s of wall time.");
            await console.WriteLineAsync($"Wrote {summaryPath} and {reportPath}");
            await console.WriteLineAsync($"Reproduce with: {summary.Reproduce!.Command}");
        }

        if (summary.Outcome == RunOutcome.Failed)
        {
            await error.WriteLineAsync($"error: the run failed: {summary.FailureReason}");
            return ExitCodes.Failure;
        }

        return check && summary.Hypothesis?.Verdict != Verdict.Validated ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>The terminal summary: headline numbers and the verdict table.</summary>
    public static Spectre.Console.Rendering.IRenderable Describe(SimulationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var t = summary.Totals;
        var header = new Markup(
            $"[bold]{Markup.Escape(summary.Scenario.Name)}[/] (seed {summary.Seed}): {summary.Outcome}\n" +
            $"cost {Money(t.Cost)} vs {Money(t.BaselineCost)} all on-demand -> savings {N(t.SavingsPercent)} %; spot share {N(t.SpotSharePercent)} %\n" +
            $"interruptions {t.SpotInterruptions}, evictions {t.Evictions}, fallback {N(t.FallbackMinutes)} min, floor violations {t.FloorViolations}, " +
            $"min Ready {N(t.MinReadyPercent)} %, converged after {N(t.TimeToConvergeMinutes)} min");
        if (summary.Hypothesis is not { } hypothesis)
        {
            return header;
        }

        var table = new Table().Border(TableBorder.Simple).Title($"hypothesis: {Markup.Escape(hypothesis.Statement)}");
        table.AddColumn("CRITERION");
        table.AddColumn(new TableColumn("ACTUAL").RightAligned());
        table.AddColumn("VERDICT");
        foreach (var c in hypothesis.Criteria)
        {
            var color = c.Verdict switch { Verdict.Validated => "green", Verdict.Invalidated => "red", _ => "yellow" };
            table.AddRow(
                new Text($"{c.Metric}{(c.Workload is null ? string.Empty : $"[{c.Workload}]")} {c.Op} {c.Value.ToString(CultureInfo.InvariantCulture)}"),
                new Text(N(c.Actual)),
                new Markup($"[{color}]{VerdictText(c.Verdict)}[/]"));
        }

        var overall = hypothesis.Verdict switch { Verdict.Validated => "[green]validated[/]", Verdict.Invalidated => "[red]invalidated[/]", _ => "[yellow]insufficient data[/]" };
        return new Rows(header, table, new Markup($"hypothesis {overall}"));
    }

    public static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Validated => "validated",
        Verdict.Invalidated => "invalidated",
        _ => "insufficient data",
    };

    private static string Money(double value) => "$" + value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string N(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "n/a";
}
