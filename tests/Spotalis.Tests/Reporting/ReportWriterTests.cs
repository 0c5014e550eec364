using System.Text.RegularExpressions;
using Spotalis.Cli.Reporting;
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
}
