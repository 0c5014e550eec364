using System.Text.RegularExpressions;
using Spotalis.Reporting;
using Spotalis.Simulation;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Reporting;

public class ReportWriterTests
{
    [Fact]
    public void The_report_is_self_contained_and_has_every_chart_and_verdict()
    {
        var summary = SyntheticRun.Run();
        var html = ReportWriter.Render(summary);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex("(src|href)=\"https?:", RegexOptions.IgnoreCase), html);
        Assert.Contains("class=\"chart chart-cost\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"chart chart-nodes\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"chart chart-replicas\" data-workload=\"shop/web\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"area-spot\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"area-on-demand\"", html, StringComparison.Ordinal);
        Assert.Contains("<title>spot interruption: spot-1</title>", html, StringComparison.Ordinal);
        Assert.Contains("<title>outage of spot</title>", html, StringComparison.Ordinal);
        Assert.Equal(4, Regex.Count(html, "<tr><td>(savingsPercent|floorViolations|minReadyReplicas|timeToConvergeMinutes)</td>"));
        Assert.Contains("insufficient data", ReportWriter.Render(SyntheticRun.Run((_, o) => o with { Pending = 1 })), StringComparison.Ordinal);
    }

    [Fact]
    public void Scenario_text_is_escaped()
    {
        var summary = SyntheticRun.Run() with
        {
            Scenario = SyntheticRun.Run().Scenario with { Description = "<img src=x onerror=alert(1)>" },
        };

        var html = ReportWriter.Render(summary);

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_chart_has_a_legend_naming_each_of_its_series()
    {
        var html = ReportWriter.Render(SyntheticRun.Run());

        var charts = Regex.Matches(html, "<svg [^>]*class=\"chart [^\"]*\".*?</svg>").Select(m => m.Value).ToList();
        Assert.Equal(4, charts.Count);
        Assert.All(charts, chart =>
        {
            Assert.Contains("<g class=\"legend\">", chart, StringComparison.Ordinal);
            foreach (var label in Regex.Matches(chart, "<path class=\"[^\"]*\"[^>]*><title>([^<]*)</title>").Select(m => m.Groups[1].Value))
            {
                Assert.Contains($"<g class=\"legend-item\" data-label=\"{label}\">", chart, StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public void Pools_with_equal_node_counts_are_drawn_apart()
    {
        var html = ReportWriter.Render(SyntheticRun.Run());

        var pools = Regex.Matches(html, "<path class=\"line-pool [^\"]*(dash-\\d)\" fill=\"none\" transform=\"translate\\(0,(-?[\\d.]+)\\)\"").ToList();
        Assert.Equal(2, pools.Count);
        Assert.NotEqual(pools[0].Groups[1].Value, pools[1].Groups[1].Value);
        Assert.NotEqual(pools[0].Groups[2].Value, pools[1].Groups[2].Value);
    }

    [Fact]
    public void Durations_read_like_durations_and_every_per_workload_figure_names_its_workload()
    {
        var html = ReportWriter.Render(SyntheticRun.Run());

        Assert.DoesNotMatch(new Regex("\\d\\.\\d\\d:\\d\\d:\\d\\d|\\d\\d:\\d\\d:\\d\\d"), html);
        Assert.Contains("<td>Complete</td><td>2h</td><td>2h</td>", html, StringComparison.Ordinal);
        Assert.Contains("lowest Ready share after convergence: <span class=\"card-workload\">shop/web: 7 Ready</span>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"workload-totals\"><strong>shop/web</strong>: ", html, StringComparison.Ordinal);
        Assert.Matches("<tr data-workload=\"shop/web\"><td>shop/web</td><td>70 % spot, floor 2</td><td class=\"num\">[\\d.]+</td><td class=\"num\">\\$[\\d.]+</td>", html);
    }

    [Fact]
    public void The_timeline_lists_interruptions_and_outages_in_order()
    {
        var html = ReportWriter.Render(SyntheticRun.Run());

        Assert.Contains("class=\"chart chart-timeline\"", html, StringComparison.Ordinal);
        var interruption = html.IndexOf("<tr><td>40m</td><td>spot</td><td>node spot-1 interrupted</td></tr>", StringComparison.Ordinal);
        var outage = html.IndexOf("<tr><td>1h</td><td>spot</td><td>outage for 20m (until 1h 20m)</td></tr>", StringComparison.Ordinal);
        Assert.True(interruption > 0 && outage > interruption, "the timeline table lists the interruption at 40m before the outage at 1h");
    }

    [Fact]
    public void The_reproduce_block_shows_the_command_seed_hash_and_inputs()
    {
        var summary = SyntheticRun.Run() with { Reproduce = new ReproduceInfo("spotalis simulate synthetic.yaml --seed 42", 42, "synthetic.yaml", new string('a', 64), SyntheticRun.ScenarioYaml) };

        var html = ReportWriter.Render(summary);
        var without = ReportWriter.Render(SyntheticRun.Run());

        Assert.Contains("<pre class=\"command\"><code>spotalis simulate synthetic.yaml --seed 42</code></pre>", html, StringComparison.Ordinal);
        Assert.Contains($"<dt>scenario SHA-256</dt><dd>{new string('a', 64)}</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"scenario\">name: synthetic", html, StringComparison.Ordinal);
        Assert.Contains("id=\"reproduce\"", without, StringComparison.Ordinal);
        Assert.Contains("not made from a scenario file", without, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(5400, "1h 30m")]
    [InlineData(86400, "1d")]
    [InlineData(93784, "1d 2h 3m 4s")]
    public void Human_durations(double seconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(seconds));
    }
}
