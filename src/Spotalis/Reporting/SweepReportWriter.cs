using System.Globalization;
using System.Text;
using Spotalis.Simulation;
using static Spotalis.Reporting.ReportHtml;

namespace Spotalis.Reporting;

/// <summary>
/// Renders a <see cref="SweepSummary"/> as the sweep's report.html: the recommended spot share per workload, a chart
/// per workload of its savings against the spot percentage (met and unmet points marked, the recommendation ringed),
/// every point with a link to its own run report, and how to reproduce the sweep. Self-contained like the run report.
/// </summary>
public static class SweepReportWriter
{
    public static async Task WriteAsync(SweepSummary sweep, string path, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, Render(sweep), Encoding.UTF8, cancellationToken);
    }

    public static string Render(SweepSummary sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return Page($"Spotalis sweep: {sweep.Scenario.Name}", sweep.Versions, string.Empty, html =>
        {
            html.Append("<header>");
            html.Append(CultureInfo.InvariantCulture, $"<h1>How much can go on spot? {E(sweep.Scenario.Name)}</h1>");
            if (sweep.Scenario.Description.Length > 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"description\">{E(sweep.Scenario.Description)}</p>");
            }

            html.Append(CultureInfo.InvariantCulture,
                $"<p class=\"meta\">{sweep.Points.Count} runs of {HumanDuration.Format(sweep.Scenario.DurationSeconds)} cluster time &middot; seed {sweep.Seed} &middot; spot percentages {E(string.Join(", ", sweep.SpotPercentages))}{(sweep.MinOnDemands is { } f ? $" &middot; floors {E(string.Join(", ", f))}" : " &middot; each workload keeps its floor")}</p>");
            html.Append("</header>");
            AppendRecommendations(html, sweep);
            AppendCharts(html, sweep);
            AppendPoints(html, sweep);
            AppendReproduce(html, sweep.Reproduce, sweep.Seed, sweep.Versions, "sweep", "sweep.json");
        });
    }

    private static void AppendRecommendations(StringBuilder html, SweepSummary sweep)
    {
        html.Append("<section id=\"recommendations\"><h2>Recommended spot share per workload</h2>");
        html.Append(CultureInfo.InvariantCulture,
            $"<p>Each workload is held to: <strong>{E(string.Join(", ", sweep.Criteria))}</strong> (the scenario's availability criteria, a run-wide one applied to each workload alone). The recommendation is the highest spot percentage at which the workload met them there and at every lower percentage of the grid.</p>");
        html.Append("<table class=\"recommendations\"><thead><tr><th>Workload</th><th>Now</th><th>Recommended</th><th class=\"num\">Savings at recommended</th><th>First unmet</th></tr></thead><tbody>");
        foreach (var r in sweep.Recommendations)
        {
            var tone = r.SpotPercentage is not { } safe ? "unmet" : r.CurrentSpotPercentage > safe ? "above" : "met";
            var recommended = r.SpotPercentage is { } spot
                ? $"{spot} % spot" + (sweep.MinOnDemands is not null ? $", floor {r.MinOnDemand}" : string.Empty)
                : "none of the grid";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-workload=\"{E(r.Workload)}\" data-recommended=\"{r.SpotPercentage?.ToString(CultureInfo.InvariantCulture) ?? string.Empty}\"><td>{E(r.Workload)}</td><td>{r.CurrentSpotPercentage} % spot, floor {r.CurrentMinOnDemand}</td><td><span class=\"verdict {tone}\">{E(recommended)}</span></td><td class=\"num\">{Percent(r.SavingsPercent)}</td><td>{E(r.FirstUnmet ?? "none")}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void AppendCharts(StringBuilder html, SweepSummary sweep)
    {
        html.Append("<section id=\"sweep\"><h2>Savings against spot share</h2>");
        var xMax = 100;
        var floors = sweep.Points.Select(p => p.MinOnDemand).Distinct().ToList();

        var run = new SvgChart("chart-sweep chart-sweep-run", "Savings of the whole run at each spot percentage", WideChart, 240, xMax, sweep.Points.Select(p => p.SavingsPercent ?? 0).DefaultIfEmpty(0).Max(), percentAxis: true);
        // Equal savings at several floors are common: each floor's line gets its own colour, dash and a small
        // vertical offset, and its markers move with it, so no line hides another.
        double Offset(int i) => (i - ((floors.Count - 1) / 2.0)) * 3;
        for (var i = 0; i < floors.Count; i++)
        {
            var column = sweep.Points.Where(p => p.MinOnDemand == floors[i]).OrderBy(p => p.SpotPercentage).ToList();
            run.Line(column.Select(p => p.SpotPercentage).ToList(), column.Select(p => p.SavingsPercent ?? 0).ToList(), $"line-sweep floor-{i % 5} dash-{i % 5}", $"run savings{FloorText(floors[i])}", stepped: false, offsetPixels: Offset(i));
        }

        for (var i = 0; i < floors.Count; i++)
        {
            foreach (var p in sweep.Points.Where(p => p.MinOnDemand == floors[i]))
            {
                var met = p.Workloads.Count(w => w.Met);
                var cssClass = p.Outcome == RunOutcome.Failed ? "marker-run-failed" : met == p.Workloads.Count ? "marker-met" : "marker-unmet";
                var legend = p.Outcome == RunOutcome.Failed ? "run failed" : met == p.Workloads.Count ? "every workload met its criteria" : "some workload did not";
                run.Marker(p.SpotPercentage, p.SavingsPercent ?? 0, cssClass, $"{SweepRunner.Describe(p)}: savings {Percent(p.SavingsPercent)}, {met}/{p.Workloads.Count} workloads met their criteria", legend, offsetPixels: Offset(i));
            }
        }

        html.Append(run.Render());
        html.Append("<div class=\"grid\">");
        foreach (var r in sweep.Recommendations)
        {
            var mine = sweep.Points.Select(p => (Point: p, Workload: p.Workloads.First(w => w.Workload == r.Workload))).ToList();
            var chart = new SvgChart("chart-sweep chart-sweep-workload", $"{r.Workload}: savings against spot share", WorkloadChart, 220, xMax, mine.Select(m => m.Workload.SavingsPercent ?? 0).DefaultIfEmpty(0).Max(), percentAxis: true);
            for (var i = 0; i < floors.Count; i++)
            {
                var column = mine.Where(m => m.Point.MinOnDemand == floors[i]).OrderBy(m => m.Point.SpotPercentage).ToList();
                chart.Line(column.Select(m => m.Point.SpotPercentage).ToList(), column.Select(m => m.Workload.SavingsPercent ?? 0).ToList(), $"line-sweep floor-{i % 5} dash-{i % 5}", $"{r.Workload} savings{FloorText(floors[i])}", stepped: false, offsetPixels: Offset(i));
            }

            for (var i = 0; i < floors.Count; i++)
            {
                foreach (var (point, workload) in mine.Where(m => m.Point.MinOnDemand == floors[i]))
                {
                    var why = workload.Met ? "met its criteria" : "did not: " + string.Join("; ", workload.Unmet);
                    chart.Marker(point.SpotPercentage, workload.SavingsPercent ?? 0, workload.Met ? "marker-met" : "marker-unmet",
                        $"{SweepRunner.Describe(point)}: saves {Percent(workload.SavingsPercent)}; {why}", workload.Met ? "met its criteria" : "did not meet them", offsetPixels: Offset(i));
                }
            }

            if (r.SpotPercentage is { } spot)
            {
                var best = mine.First(m => m.Point.SpotPercentage == spot && (sweep.MinOnDemands is null || m.Point.MinOnDemand == r.MinOnDemand));
                chart.Marker(spot, best.Workload.SavingsPercent ?? 0, "marker-recommended", $"recommended: {SweepRunner.Describe(best.Point)}", "recommended", 8, Offset(floors.IndexOf(best.Point.MinOnDemand)));
            }

            html.Append(CultureInfo.InvariantCulture, $"<figure class=\"sweep\" data-workload=\"{E(r.Workload)}\"><figcaption><strong>{E(r.Workload)}</strong> &middot; now {r.CurrentSpotPercentage} % spot, floor {r.CurrentMinOnDemand} &middot; recommended {(r.SpotPercentage is { } s ? $"{s} %" : "none")}</figcaption>");
            html.Append(chart.Render($"data-workload=\"{E(r.Workload)}\""));
            html.Append("</figure>");
        }

        html.Append("</div></section>");
    }

    private static void AppendPoints(StringBuilder html, SweepSummary sweep)
    {
        html.Append("<section id=\"points\"><h2>Every point</h2><table class=\"points\"><thead><tr><th class=\"num\">Spot %</th><th class=\"num\">Floor</th><th>Outcome</th><th class=\"num\">Run savings</th><th class=\"num\">Cost</th><th class=\"num\">Workloads meeting criteria</th><th>Run report</th></tr></thead><tbody>");
        foreach (var p in sweep.Points)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td class=\"num\">{p.SpotPercentage}</td><td class=\"num\">{(p.MinOnDemand is { } f ? f.ToString(CultureInfo.InvariantCulture) : "as in the scenario")}</td><td><span class=\"outcome {Css(p.Outcome.ToString())}\">{p.Outcome}</span></td><td class=\"num\">{Percent(p.SavingsPercent)}</td><td class=\"num\">{Money(p.Cost)}</td><td class=\"num\">{p.Workloads.Count(w => w.Met)}/{p.Workloads.Count}</td><td><a href=\"{E(p.Directory)}/report.html\">{E(p.Directory)}/report.html</a></td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static string FloorText(int? floor) => floor is { } f ? string.Create(CultureInfo.InvariantCulture, $" (floor {f})") : string.Empty;
}
