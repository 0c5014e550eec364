using Spotalis.Cli.Reporting;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Reporting;

public class ReportInChromiumTests
{
    [ChromiumFact]
    public async Task The_report_renders_in_headless_chromium_with_its_charts()
    {
        using var directory = new TemporaryDirectory();
        var report = directory.File("report.html");
        await ReportWriter.WriteAsync(SyntheticRun.Run(), report, CancellationToken.None);
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
    }
}
