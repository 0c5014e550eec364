using System.Text.RegularExpressions;
using Spotalis.Reporting;
using Spotalis.Simulation;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Reporting;

public class ReportInChromiumTests
{
    [ChromiumFact]
    public async Task The_report_renders_in_headless_chromium_with_its_charts()
    {
        using var directory = new TemporaryDirectory();
        var report = directory.File("report.html");
        var summary = SyntheticRun.Run() with { Reproduce = new ReproduceInfo("spotalis simulate synthetic.yaml --seed 42", 42, "synthetic.yaml", new string('0', 64), SyntheticRun.ScenarioYaml) };
        await ReportWriter.WriteAsync(summary, report, CancellationToken.None);
        var url = new Uri(report).AbsoluteUri;
        var png = directory.File("report.png");

        var shot = await Chromium.RunAsync(url, directory.File("profile-shot"), $"--screenshot={png}", "--window-size=1280,2000", "--hide-scrollbars");
        var dom = await Chromium.RunAsync(url, directory.File("profile-dom"), "--dump-dom", "--virtual-time-budget=2000");

        Assert.True(File.Exists(png), $"no screenshot; chromium exited {shot.ExitCode}: {shot.Error}");
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.True(bytes.Length > 20_000, $"screenshot is only {bytes.Length} bytes: the page looks empty");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(0, dom.ExitCode);
        Assert.Contains("id=\"report-end\"", dom.Output, StringComparison.Ordinal);
        Assert.Contains("chart chart-cost", dom.Output, StringComparison.Ordinal);
        Assert.Contains("chart chart-replicas", dom.Output, StringComparison.Ordinal);
        Assert.Contains("<path class=\"area-spot\"", dom.Output, StringComparison.Ordinal);
        Assert.Contains("id=\"verdicts\"", dom.Output, StringComparison.Ordinal);
        AssertEveryChartHasALegend(dom.Output, 4);
        Assert.Contains("data-label=\"spot interruption\"", dom.Output, StringComparison.Ordinal);
        Assert.Contains("data-label=\"spot node interrupted\"", dom.Output, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"command\"><code>spotalis simulate synthetic.yaml --seed 42</code></pre>", dom.Output, StringComparison.Ordinal);
        Assert.Contains("<dt>scenario SHA-256</dt>", dom.Output, StringComparison.Ordinal);
        Assert.Contains("id=\"timeline\"", dom.Output, StringComparison.Ordinal);
        Assert.Contains("id=\"workload-cost\"", dom.Output, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task The_sweep_report_renders_its_recommendation_and_sweep_charts_with_legends()
    {
        using var directory = new TemporaryDirectory();
        var report = directory.File("report.html");
        var sweep = SyntheticRun.Sweep() with { Reproduce = new ReproduceInfo("spotalis simulate synthetic.yaml --seed 42 --sweep 0:100:25", 42, "synthetic.yaml", new string('0', 64), SyntheticRun.ScenarioYaml) };
        await SweepReportWriter.WriteAsync(sweep, report, CancellationToken.None);
        var url = new Uri(report).AbsoluteUri;
        var png = directory.File("sweep.png");

        var shot = await Chromium.RunAsync(url, directory.File("profile-shot"), $"--screenshot={png}", "--window-size=1280,1600", "--hide-scrollbars");
        var dom = await Chromium.RunAsync(url, directory.File("profile-dom"), "--dump-dom", "--virtual-time-budget=2000");

        Assert.True(File.Exists(png), $"no screenshot; chromium exited {shot.ExitCode}: {shot.Error}");
        Assert.Equal(0, dom.ExitCode);
        Assert.Contains("id=\"report-end\"", dom.Output, StringComparison.Ordinal);
        Assert.Contains("<tr data-workload=\"shop/web\" data-recommended=\"50\">", dom.Output, StringComparison.Ordinal);
        Assert.Contains("chart chart-sweep chart-sweep-run", dom.Output, StringComparison.Ordinal);
        Assert.Contains("chart chart-sweep chart-sweep-workload", dom.Output, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(dom.Output, "<circle class=\"marker-recommended\"[^>]*><title>recommended: 50 % spot</title>"));
        Assert.Equal(2, Regex.Count(dom.Output, "<circle class=\"marker-unmet\"[^>]*><title>(75|100) % spot: saves"));
        AssertEveryChartHasALegend(dom.Output, 2);
        Assert.Contains("data-label=\"recommended\"", dom.Output, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"command\"><code>spotalis simulate synthetic.yaml --seed 42 --sweep 0:100:25</code></pre>", dom.Output, StringComparison.Ordinal);
    }

    private static void AssertEveryChartHasALegend(string dom, int charts)
    {
        var svgs = Regex.Matches(dom, "<svg [^>]*class=\"chart .*?</svg>", RegexOptions.Singleline).Select(m => m.Value).ToList();
        Assert.Equal(charts, svgs.Count);
        Assert.All(svgs, svg => Assert.Matches("<g class=\"legend\"><g class=\"legend-item\" data-label=\"[^\"]+\">", svg));
    }
}
