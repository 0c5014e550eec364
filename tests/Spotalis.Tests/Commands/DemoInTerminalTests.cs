using System.Globalization;
using System.Text.RegularExpressions;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>The interactive demo in a real pseudo-terminal (tmux) of a fixed size, driven as a user would.</summary>
public partial class DemoInTerminalTests
{
    private static readonly string[] WorkloadRows = ["shop/web (deploy)", "shop/api (deploy)", "shop/cache (sts)"];

    [TmuxTheory]
    [InlineData(80, 24)]
    [InlineData(120, 30)]
    public async Task After_30_s_the_header_node_line_and_every_workload_are_on_screen_and_ctrl_c_says_goodbye_and_leaves_no_file(int width, int height)
    {
        using var temp = new TemporaryDirectory();
        var cli = Path.Combine(AppContext.BaseDirectory, "spotalis.dll");
        await using var terminal = await Tmux.StartAsync(width, height,
            $"env TMPDIR='{temp.Path}' dotnet '{cli}' demo; echo \"EXIT=$?\"; sleep 3600");

        var screen = await terminal.WaitForScreenAsync(s => ClockSeconds(s) >= 30, TimeSpan.FromSeconds(180), "the demo's clock reaching 30 s");

        Assert.Equal(height, screen.Count);
        Assert.StartsWith("Spotalis demo", screen[0], StringComparison.Ordinal);
        Assert.Matches(NodeLine(), screen[1]);
        foreach (var workload in WorkloadRows)
        {
            var row = Assert.Single(screen, line => line.StartsWith(workload, StringComparison.Ordinal));
            Assert.Matches(@"\d+/\d+\s+\d+/\d+\s+\d+\s+\S", row);
        }

        var rule = screen.ToList().FindIndex(line => line.StartsWith("── events", StringComparison.Ordinal));
        Assert.True(rule > 0, "no events pane:\n" + string.Join('\n', screen));
        var events = screen.Skip(rule + 1).Where(line => line.Trim().Length > 0).ToList();
        Assert.NotEmpty(events);
        Assert.All(events, line => Assert.Matches(@"^\s*\d+s \S", line));
        var kubeconfig = Assert.Single(Directory.GetFiles(temp.Path, "spotalis-sim-*.kubeconfig"));

        await terminal.SendKeysAsync("C-c");
        var after = await terminal.WaitForScreenAsync(s => s.Any(line => line.StartsWith("EXIT=", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "the demo exiting after Ctrl-C");

        Assert.Contains("EXIT=130", after);
        var text = string.Concat(after.TakeWhile(line => !line.StartsWith("EXIT=", StringComparison.Ordinal)));
        Assert.Contains("Spotalis demo stopped after", text, StringComparison.Ordinal);
        Assert.Contains($"deleted {kubeconfig}", text, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    private static int ClockSeconds(IReadOnlyList<string> screen)
    {
        var match = Clock().Match(screen.Count > 0 ? screen[0] : string.Empty);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    [GeneratedRegex(@"^Spotalis demo\s+(\d+)s")]
    private static partial Regex Clock();

    [GeneratedRegex(@"^nodes: \d+ spot, \d+ on-demand")]
    private static partial Regex NodeLine();
}
