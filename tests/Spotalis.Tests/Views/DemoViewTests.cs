using Spotalis.Views;

namespace Spotalis.Tests.Views;

public class DemoViewTests
{
    private static readonly DemoSnapshot Busy = new(
        TimeSpan.FromSeconds(75),
        null,
        "/tmp/spotalis-sim-0123456789abcdef0123456789abcdef.kubeconfig",
        2,
        3,
        SpotOutage: true,
        [
            new WorkloadStatusRow("shop", "web", "Deployment", 10, 70, 1, 7, 3, 5, 5, 2, "Rebalancing", "evict web-1 to move it from on-demand to spot: it is the newest pod (spot 5/7, on-demand 5/3)"),
            new WorkloadStatusRow("shop", "api", "Deployment", 4, 50, 2, 2, 2, 2, 2, 0, "Balanced", "balanced"),
            new WorkloadStatusRow("shop", "cache", "StatefulSet", 5, 60, 1, 3, 2, 3, 2, 0, "Fallback", "spot capacity is unavailable"),
        ],
        Enumerable.Range(0, 60).Select(i => new DemoEvent(TimeSpan.FromSeconds(i), i % 3 == 0 ? "Warning" : "Normal", "Evicted", "Node/ip-10-0-0-5.ec2.internal",
            $"event {i}: Evicted pod web-68997898-2r7nr from on-demand to recreate it on spot: it is the newest pod\nsecond line")).ToList());

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 30)]
    [InlineData(60, 15)]
    [InlineData(200, 50)]
    public void The_screen_fills_the_terminal_and_no_line_is_wider_than_it(int width, int height)
    {
        var lines = DemoView.Screen(Busy, width, height);

        Assert.Equal(height, lines.Count);
        Assert.All(lines, line => Assert.True(line.Plain(width).Length <= width, $"{line.Plain(width).Length} > {width}: {line.Plain(width)}"));
        Assert.StartsWith("Spotalis demo  75s", lines[0].Plain(width), StringComparison.Ordinal);
        Assert.StartsWith("nodes: 2 spot, 3 on-demand", lines[1].Plain(width), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Plain(width).StartsWith("shop/cache (sts)", StringComparison.Ordinal));
        Assert.Contains("event 59:", lines[^1].Plain(width), StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Plain(width).Contains('\n', StringComparison.Ordinal));
    }

    [Fact]
    public void A_line_too_long_for_the_width_ends_in_an_ellipsis_and_markup_in_text_is_escaped()
    {
        var line = new ScreenLine().Add("[bold]not markup[/] ").Add("and a long tail", "yellow");

        Assert.Equal("[bold]not markup[/] and…", line.Plain(24));
        Assert.Equal("[[bold]]not markup[[/]] [yellow]and[/]…", line.Markup(24));
        Assert.Equal(line.Text, line.Plain(200));
    }
}
