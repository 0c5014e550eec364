using Spotalis.Testing;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>
/// Issue 13 "Done when", the long scenario in a class of its own so that it runs beside the other placement
/// scenarios: a spot drought with real processes, its fallback held for two minutes, and the reclaim once spot returns.
/// </summary>
public sealed class SpotDroughtProcessTests
{
    [Fact]
    public async Task A_spot_drought_falls_back_within_30s_holds_for_2_minutes_and_is_reclaimed_when_spot_returns()
    {
        await using var cluster = await PlacementProcessCluster.StartAsync(new Dictionary<string, string>
        {
            ["SPOTALIS_CONTROLLERS_FALLBACK_AFTER"] = "20s",
            // Longer than the two-minute check below, so no reclaim probe falls into it.
            ["SPOTALIS_CONTROLLERS_RECLAIM_AFTER"] = "180s",
        });
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, PlacementProcessCluster.Web, "apply", "-f", "-");
        await Eventually.TrueAsync(async () => await cluster.SplitAsync() == (3, 3, 0), "web at 3 spot / 3 on-demand");

        // The drought: no spot node can be launched, and the spot node is gone at once (no two-minute notice).
        await cluster.SimAsync("outage", "start", "spot");
        var droughtStarted = DateTimeOffset.UtcNow;
        foreach (var node in await cluster.NodesAsync("spot"))
        {
            await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "delete", "node", node);
        }

        await cluster.WaitAsync(async () => await cluster.SplitAsync() == (0, 6, 0), "web to fall back to 0 spot / 6 on-demand", 120);
        Assert.True(DateTimeOffset.UtcNow - droughtStarted < TimeSpan.FromSeconds(20 + 30),
            $"fell back {DateTimeOffset.UtcNow - droughtStarted} after the drought started (fallbackAfter 20s + 30s)");

        var status = await cluster.CliAsync("status", "-n", "default");
        Assert.Contains("Fallback", status, StringComparison.Ordinal);
        Assert.Contains("webhook: in the admission path", status, StringComparison.Ordinal);

        // It holds: no pod is placed on spot while the drought lasts, checked every second for two minutes.
        var until = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTimeOffset.UtcNow < until)
        {
            var pods = await cluster.LivePodsAsync();
            Assert.DoesNotContain(pods, p => p["metadata"]?["labels"]?["spotalis.io/capacity-type"]?.GetValue<string>() == "spot");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await cluster.SimAsync("outage", "stop", "spot");
        await cluster.WaitAsync(async () => await cluster.SplitAsync() == (3, 3, 0), "web reclaimed to 3 spot / 3 on-demand", 240);
        var events = await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "get", "events.events.k8s.io", "-o", "json");
        Assert.Contains("ReclaimingSpot", events, StringComparison.Ordinal);
        Assert.Contains("FallbackToOnDemand", events, StringComparison.Ordinal);
    }
}
