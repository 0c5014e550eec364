using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spotalis.Cli.Reporting;
using Spotalis.Cli.Scenarios;
using Spotalis.Cli.Simulation;
using Spotalis.Core;

namespace Spotalis.Cli.Commands;

/// <summary>`spotalis simulate`: a what-if experiment on the simulator with the real operator and webhook, on an accelerated clock.</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var scenario = new Argument<FileInfo>("scenario") { Description = "The scenario YAML file (see examples/scenarios/)." };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Where to write summary.json and report.html (default: sim-out/<scenario name>)." };
        var seed = new Option<int?>("--seed") { Description = "Seed for interruptions and names (default: the scenario's seed). The same seed gives the same summary." };
        var timeout = new Option<string>("--timeout") { Description = "Wall-clock limit; the run is Failed when it passes.", DefaultValueFactory = _ => "10m" };
        var check = new Option<bool>("--check") { Description = "Exit 1 unless the hypothesis is validated (for CI)." };
        var output = OutputFormat.CreateOption();
        var command = new Command("simulate", "Run a what-if scenario on a simulated cluster with the real operator and webhook, and write summary.json and report.html.")
        {
            scenario, outDir, seed, timeout, check, output,
        };
        CommandHelp.AddExamples(command,
            ("Replay a 12-hour spot drought and write summary.json and report.html to /tmp/drought", "spotalis simulate examples/scenarios/spot-drought.yaml --out /tmp/drought"),
            ("Fail (exit 1) unless the scenario's hypothesis holds, for CI", "spotalis simulate examples/scenarios/steady-web-service.yaml --check"),
            ("Another seed for the interruptions", "spotalis simulate examples/scenarios/steady-web-service.yaml --seed 7"));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!GoDuration.TryParse(parse.GetValue(timeout), out var limit) || limit <= TimeSpan.Zero)
            {
                await error.WriteLineAsync($"error: --timeout '{parse.GetValue(timeout)}' is not a positive Go-style duration such as 90s or 10m");
                return ExitCodes.Usage;
            }

            Scenario loaded;
            try
            {
                loaded = ScenarioLoader.LoadFile(parse.GetValue(scenario)!.FullName);
            }
            catch (ScenarioException e)
            {
                await error.WriteLineAsync("error: " + e.Message);
                return ExitCodes.Usage;
            }

            var directory = parse.GetValue(outDir)?.FullName ?? Path.Combine("sim-out", loaded.Name);
            var wall = Stopwatch.StartNew();
            var summary = await new SimulationRunner(loaded, parse.GetValue(seed), limit).RunAsync(cancellationToken);
            wall.Stop();
            Directory.CreateDirectory(directory);
            var summaryPath = Path.Combine(directory, "summary.json");
            var reportPath = Path.Combine(directory, "report.html");
            await SummaryJson.WriteAsync(summary, summaryPath, cancellationToken);
            await ReportWriter.WriteAsync(summary, reportPath, cancellationToken);

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                await console.WriteLineAsync(SummaryJson.Serialize(summary));
            }
            else
            {
                StatusCommand.Render(console, Describe(summary));
                await console.WriteLineAsync($"Simulated {summary.Scenario.Duration} of cluster time in {wall.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s of wall time.");
                await console.WriteLineAsync($"Wrote {summaryPath} and {reportPath}");
            }

            if (summary.Outcome == RunOutcome.Failed)
            {
                await error.WriteLineAsync($"error: the run failed: {summary.FailureReason}");
                return ExitCodes.Failure;
            }

            return parse.GetValue(check) && summary.Hypothesis?.Verdict != Verdict.Validated ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
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
