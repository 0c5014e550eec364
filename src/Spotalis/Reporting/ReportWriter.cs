using System.Globalization;
using System.Text;
using Spotalis.Core.Timing;
using Spotalis.Simulation;
using static Spotalis.Reporting.ReportHtml;

namespace Spotalis.Reporting;

/// <summary>
/// Renders a <see cref="SimulationSummary"/> as one self-contained HTML page: inline CSS, hand-written SVG charts,
/// no scripts and no network, so it opens anywhere and can be attached to a ticket.
/// </summary>
public static class ReportWriter
{
    /// <summary>The timeline table lists at most this many events; the chart shows all of them.</summary>
    private const int TimelineRows = 200;

    public static async Task WriteAsync(SimulationSummary summary, string path, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, Render(summary), Encoding.UTF8, cancellationToken);
    }

    public static string Render(SimulationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Page($"Spotalis what-if: {summary.Scenario.Name}", summary.Versions, " Times are cluster time from the start of the run.", html =>
        {
            AppendHeader(html, summary);
            AppendTotals(html, summary);
            AppendVerdicts(html, summary);
            AppendCost(html, summary);
            AppendWorkloadCost(html, summary);
            AppendTimeline(html, summary);
            AppendWorkloads(html, summary);
            AppendPhases(html, summary);
            AppendReproduce(html, summary.Reproduce, summary.Seed, summary.Versions, "run", "summary.json");
        });
    }

    private static void AppendHeader(StringBuilder html, SimulationSummary s)
    {
        html.Append("<header>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>What-if: {E(s.Scenario.Name)}</h1>");
        if (s.Scenario.Description.Length > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"description\">{E(s.Scenario.Description)}</p>");
        }

        html.Append(CultureInfo.InvariantCulture,
            $"<p class=\"meta\">{HumanDuration.Format(s.Scenario.DurationSeconds)} of cluster time in steps of {E(Human(s.Scenario.Step))} &middot; seed {s.Seed} &middot; {s.Workloads.Count} workload(s), {s.NodePools.Count} node pool(s) &middot; outcome <span class=\"outcome {Css(s.Outcome.ToString())}\">{s.Outcome}</span></p>");
        if (s.FailureReason is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"failure\">{E(s.FailureReason)}</p>");
        }

        if (s.Hypothesis is { } h)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p class=\"hypothesis\">Hypothesis: &ldquo;{E(h.Statement)}&rdquo; &mdash; <span class=\"verdict {Css(h.Verdict.ToString())}\">{VerdictText(h.Verdict)}</span></p>");
        }

        html.Append("</header>");
    }

    private static void AppendTotals(StringBuilder html, SimulationSummary s)
    {
        var t = s.Totals;
        var lowest = s.Workloads.Where(w => w.Totals.MinReadyPercent is not null).OrderBy(w => w.Totals.MinReadyPercent).FirstOrDefault();
        var slowest = s.Workloads.Where(w => w.Totals.TimeToConvergeMinutes is not null).OrderByDescending(w => w.Totals.TimeToConvergeMinutes).FirstOrDefault();
        var neverConverged = s.Workloads.FirstOrDefault(w => w.Totals.TimeToConvergeMinutes is null);
        html.Append("<section id=\"totals\"><h2>Totals</h2><div class=\"cards\">");
        Card(html, "Savings", Percent(t.SavingsPercent), $"cost {Money(t.Cost)} vs {Money(t.BaselineCost)} all on-demand");
        Card(html, "Spot share", Percent(t.SpotSharePercent), "of Ready replica-time on spot");
        Card(html, "Spot interruptions", t.SpotInterruptions.ToString(CultureInfo.InvariantCulture), "nodes taken away");
        Card(html, "Evictions", t.Evictions.ToString(CultureInfo.InvariantCulture), "rebalancing moves by the operator");
        Card(html, "Fallback", $"{N(t.FallbackMinutes)} min", "workload-minutes on on-demand fallback");
        Card(html, "Floor violations", t.FloorViolations.ToString(CultureInfo.InvariantCulture), "must be 0", t.FloorViolations == 0 ? "good" : "bad");
        Card(html, "Min Ready", Percent(t.MinReadyPercent), "lowest Ready share after convergence",
            workload: lowest is null ? null : $"{lowest.Key}: {lowest.Totals.MinReadyReplicas} Ready");
        Card(html, "Time to converge", t.TimeToConvergeMinutes is { } c ? $"{N(c)} min" : "never", "slowest workload",
            workload: neverConverged?.Key is { } never ? $"{never} never converged" : slowest?.Key);
        html.Append("</div></section>");
    }

    private static void Card(StringBuilder html, string title, string value, string note, string tone = "", string? workload = null)
    {
        var named = workload is null ? string.Empty : $" <span class=\"card-workload\">{E(workload)}</span>";
        html.Append(CultureInfo.InvariantCulture,
            $"<div class=\"card {tone}\"><div class=\"card-title\">{E(title)}</div><div class=\"card-value\">{E(value)}</div><div class=\"card-note\">{E(note)}{(named.Length > 0 ? ":" : string.Empty)}{named}</div></div>");
    }

    private static void AppendVerdicts(StringBuilder html, SimulationSummary s)
    {
        html.Append("<section id=\"verdicts\"><h2>Success criteria</h2>");
        if (s.Hypothesis is not { } h)
        {
            html.Append("<p>The scenario states no hypothesis.</p></section>");
            return;
        }

        html.Append("<table class=\"verdicts\"><thead><tr><th>Metric</th><th>Workload</th><th>Expected</th><th>Actual</th><th>Verdict</th><th>Why</th></tr></thead><tbody>");
        foreach (var c in h.Criteria)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(c.Metric)}</td><td>{E(c.Workload ?? "all")}</td><td>{E(OpText(c.Op))} {N(c.Value)}</td><td>{(c.Actual is { } a ? N(a) : "&ndash;")}</td><td><span class=\"verdict {Css(c.Verdict.ToString())}\">{VerdictText(c.Verdict)}</span></td><td>{E(c.Explanation)}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void AppendCost(StringBuilder html, SimulationSummary s)
    {
        var duration = s.Scenario.DurationSeconds;
        html.Append("<section id=\"cost\"><h2>Cost over time</h2>");
        var yMax = Math.Max(s.Cost.Actual.DefaultIfEmpty(0).Max(), s.Cost.Baseline.DefaultIfEmpty(0).Max());
        var chart = new SvgChart("chart-cost", "Cumulative cost against the all-on-demand baseline", WideChart, 260, duration, yMax);
        chart.Line(s.Cost.Seconds, s.Cost.Baseline, "line-baseline", "all on-demand baseline (cumulative $)", stepped: false);
        chart.Line(s.Cost.Seconds, s.Cost.Actual, "line-cost", "this run (cumulative $)", stepped: false);
        html.Append(chart.Render());

        var nodesMax = s.NodePools.SelectMany(p => p.Nodes).DefaultIfEmpty(0).Max();
        var nodes = new SvgChart("chart-nodes", "Nodes per pool", WideChart, 200, duration, nodesMax);
        foreach (var outage in s.Outages)
        {
            nodes.Band(outage.StartSeconds, outage.EndSeconds, "outage", $"outage of {outage.Pool}", "spot outage");
        }

        // Pools often hold the same node count: each gets its own dash pattern and a small vertical offset so that
        // equal lines run side by side instead of one hiding the other.
        for (var i = 0; i < s.NodePools.Count; i++)
        {
            var pool = s.NodePools[i];
            var offset = (i - ((s.NodePools.Count - 1) / 2.0)) * 3;
            nodes.Line(pool.Seconds, pool.Nodes.Select(n => (double)n).ToList(), $"line-pool {Css(pool.CapacityType)} dash-{i % 5}",
                $"{pool.Name} ({pool.CapacityType}, ${pool.HourlyPrice.ToString(CultureInfo.InvariantCulture)}/h)", offsetPixels: offset);
        }

        html.Append("<h3>Nodes per pool</h3>").Append(nodes.Render());
        html.Append("<table class=\"pools\"><thead><tr><th>Pool</th><th>Capacity</th><th class=\"num\">$/node-hour</th><th class=\"num\">Node-hours</th><th class=\"num\">Cost</th></tr></thead><tbody>");
        foreach (var pool in s.NodePools)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(pool.Name)}</td><td>{E(pool.CapacityType)}</td><td class=\"num\">{pool.HourlyPrice.ToString(CultureInfo.InvariantCulture)}</td><td class=\"num\">{N(pool.NodeHours)}</td><td class=\"num\">{Money(pool.Cost)}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void AppendWorkloadCost(StringBuilder html, SimulationSummary s)
    {
        html.Append("<section id=\"workload-cost\"><h2>Cost per workload</h2>");
        html.Append("<p class=\"legend\">Each workload pays for the pod slots its scheduled pods occupied (node price / pods per node); the baseline prices the same pod-hours at the cheapest on-demand slot. Idle node capacity is charged to no workload, so these add up to less than the run's cost.</p>");
        html.Append("<table class=\"workload-cost\"><thead><tr><th>Workload</th><th>Policy</th><th class=\"num\">Pod-hours</th><th class=\"num\">Cost</th><th class=\"num\">All on-demand</th><th class=\"num\">Savings</th><th class=\"num\">Spot share</th></tr></thead><tbody>");
        foreach (var w in s.Workloads)
        {
            var t = w.Totals;
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-workload=\"{E(w.Key)}\"><td>{E(w.Key)}</td><td>{w.SpotPercentage} % spot, floor {w.MinOnDemand}</td><td class=\"num\">{N(t.PodHours)}</td><td class=\"num\">{Money(t.Cost)}</td><td class=\"num\">{Money(t.BaselineCost)}</td><td class=\"num\">{Percent(t.SavingsPercent)}</td><td class=\"num\">{Percent(t.SpotSharePercent)}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void AppendTimeline(StringBuilder html, SimulationSummary s)
    {
        html.Append("<section id=\"timeline\"><h2>Timeline of interruptions and outages</h2>");
        var pools = s.NodePools.Select(p => p.Name).Reverse().ToList();
        var chart = new SvgChart("chart-timeline", "Spot interruptions and outages per pool", WideChart, 40 + (34 * Math.Max(1, pools.Count)), s.Scenario.DurationSeconds, pools.Count);
        chart.UseRows(pools);
        foreach (var outage in s.Outages)
        {
            var row = pools.IndexOf(outage.Pool);
            chart.Span(outage.StartSeconds, outage.EndSeconds, row + 0.15, row + 0.85, "outage", $"outage of {outage.Pool} from {HumanDuration.Format(outage.StartSeconds)} to {HumanDuration.Format(outage.EndSeconds)}", "outage (the pool launches no nodes)");
        }

        foreach (var interruption in s.Interruptions)
        {
            var row = pools.IndexOf(interruption.Pool);
            chart.Marker(interruption.AtSeconds, row + 0.5, "marker-interruption", $"{interruption.Node} interrupted at {HumanDuration.Format(interruption.AtSeconds)}", "spot node interrupted", 3.5);
        }

        if (s.Outages.Count == 0 && s.Interruptions.Count == 0)
        {
            html.Append("<p>No spot interruption and no outage happened in this run.</p>");
        }

        html.Append(chart.Render());
        var events = s.Outages.Select(o => (At: o.StartSeconds, Pool: o.Pool, What: $"outage for {HumanDuration.Format(o.EndSeconds - o.StartSeconds)} (until {HumanDuration.Format(o.EndSeconds)})"))
            .Concat(s.Interruptions.Select(i => (At: i.AtSeconds, Pool: i.Pool, What: $"node {i.Node} interrupted")))
            .OrderBy(e => e.At).ThenBy(e => e.Pool, StringComparer.Ordinal).ToList();
        if (events.Count > 0)
        {
            html.Append("<table class=\"timeline\"><thead><tr><th>At</th><th>Pool</th><th>What happened</th></tr></thead><tbody>");
            foreach (var e in events.Take(TimelineRows))
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{HumanDuration.Format(e.At)}</td><td>{E(e.Pool)}</td><td>{E(e.What)}</td></tr>");
            }

            html.Append("</tbody></table>");
            if (events.Count > TimelineRows)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"legend\">{events.Count - TimelineRows} more in summary.json.</p>");
            }
        }

        html.Append("</section>");
    }

    private static void AppendWorkloads(StringBuilder html, SimulationSummary s)
    {
        html.Append("<section id=\"workloads\"><h2>Replicas by capacity type</h2>");
        html.Append("<div class=\"grid\">");
        foreach (var w in s.Workloads)
        {
            var series = w.Series;
            var onDemand = series.OnDemand.Select(v => (double)v).ToList();
            var stacked = series.OnDemand.Zip(series.Spot, (o, sp) => (double)(o + sp)).ToList();
            var zero = series.Seconds.Select(_ => 0.0).ToList();
            var yMax = Math.Max(series.Desired.DefaultIfEmpty(0).Max(), stacked.DefaultIfEmpty(0).Max());
            var chart = new SvgChart("chart-replicas", $"{w.Key}: replicas by capacity type", WorkloadChart, 220, s.Scenario.DurationSeconds, yMax);
            foreach (var outage in s.Outages)
            {
                chart.Band(outage.StartSeconds, outage.EndSeconds, "outage", $"outage of {outage.Pool}", "spot outage");
            }

            chart.Area(series.Seconds, zero, onDemand, "area-on-demand", "on-demand");
            chart.Area(series.Seconds, onDemand, stacked, "area-spot", "spot");
            chart.Line(series.Seconds, series.Desired.Select(v => (double)v).ToList(), "line-desired", "desired replicas");
            chart.Line(series.Seconds, series.DesiredSpot.Select(v => (double)v).ToList(), "line-desired-spot", "desired spot", offsetPixels: 1.5);
            chart.Line(series.Seconds, series.Pending.Select(v => (double)v).ToList(), "line-pending", "pending");
            foreach (var interruption in s.Interruptions)
            {
                chart.Tick(interruption.AtSeconds, "interruption", $"spot interruption: {interruption.Node}", "spot interruption");
            }

            var t = w.Totals;
            html.Append(CultureInfo.InvariantCulture, $"<figure class=\"workload\" data-workload=\"{E(w.Key)}\">");
            html.Append(CultureInfo.InvariantCulture,
                $"<figcaption><strong>{E(w.Key)}</strong> {E(w.Kind)} &middot; spot {w.SpotPercentage} % &middot; floor {w.MinOnDemand} &middot; cost {Money(t.Cost)} (saves {Percent(t.SavingsPercent)}){(w.PolicyValid ? string.Empty : " &middot; <span class=\"verdict invalidated\">invalid policy (all on-demand)</span>")}</figcaption>");
            html.Append(chart.Render($"data-workload=\"{E(w.Key)}\""));
            html.Append(CultureInfo.InvariantCulture,
                $"<p class=\"workload-totals\"><strong>{E(w.Key)}</strong>: evictions {t.Evictions} &middot; fallback {N(t.FallbackMinutes)} min &middot; floor violations {t.FloorViolations} &middot; min Ready {(t.MinReadyReplicas is { } m ? m.ToString(CultureInfo.InvariantCulture) : "n/a")} ({Percent(t.MinReadyPercent)}) &middot; converged {(t.TimeToConvergeMinutes is { } c ? $"after {N(c)} min" : "never")} &middot; spot share {Percent(t.SpotSharePercent)}</p>");
            html.Append("</figure>");
        }

        html.Append("</div></section>");
    }

    private static void AppendPhases(StringBuilder html, SimulationSummary s)
    {
        html.Append("<section id=\"phases\"><h2>Phases</h2><table class=\"phases\"><thead><tr><th>Phase</th><th>Started</th><th>Ended</th><th>Deadline</th><th>In time</th></tr></thead><tbody>");
        foreach (var p in s.Phases)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{p.Phase}</td><td>{HumanDuration.Format(p.StartedAtSeconds)}</td><td>{(p.EndedAtSeconds is { } e ? HumanDuration.Format(e) : "&ndash;")}</td><td>{(p.DeadlineSeconds is { } d ? HumanDuration.Format(d) : "&ndash;")}</td><td>{(p.Met ? "yes" : "no")}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static string Human(string goDuration) =>
        GoDuration.TryParse(goDuration, out var value) ? HumanDuration.Format(value.TotalSeconds) : goDuration;
}
