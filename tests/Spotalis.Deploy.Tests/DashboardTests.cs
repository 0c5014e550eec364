using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>The Grafana dashboard only queries metrics the operator exports and covers what operators watch.</summary>
public sealed class DashboardTests
{
    private static readonly Lazy<JsonNode> Dashboard = new(() => JsonNode.Parse(File.ReadAllText(RepoPaths.Dashboard))!);

    [Fact]
    public void Every_queried_series_is_an_exported_metric()
    {
        var series = MetricQueries.SeriesIn(string.Join("\n", MetricQueries.Strings(Dashboard.Value)));

        Assert.NotEmpty(series);
        Assert.All(series, s => Assert.True(KnownMetrics.MetricOf(s) is not null, $"dashboard queries {s}, which the operator does not export"));
    }

    [Theory]
    [InlineData("spotalis_workload_actual_replicas")]
    [InlineData("spotalis_workload_desired_replicas")]
    [InlineData("spotalis_workload_fallback_replicas")]
    [InlineData("spotalis_evictions_total")]
    [InlineData("spotalis_reconcile_duration_seconds_bucket")]
    [InlineData("spotalis_webhook_duration_seconds_bucket")]
    [InlineData("spotalis_webhook_requests_total")]
    [InlineData("spotalis_leader")]
    public void Dashboard_shows(string series)
    {
        var queried = MetricQueries.SeriesIn(string.Join("\n", Panels().SelectMany(p => MetricQueries.Strings(p["targets"]))));

        Assert.Contains(series, queried);
    }

    [Fact]
    public void Panels_have_unique_ids_and_do_not_overlap()
    {
        var panels = Dashboard.Value["panels"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(panels.Count, panels.Select(p => p["id"]!.GetValue<int>()).Distinct().Count());

        var occupied = new HashSet<(int, int)>();
        foreach (var panel in panels)
        {
            var grid = panel["gridPos"]!;
            int x = grid["x"]!.GetValue<int>(), y = grid["y"]!.GetValue<int>(), w = grid["w"]!.GetValue<int>(), h = grid["h"]!.GetValue<int>();
            Assert.True(x + w <= 24, $"panel '{panel["title"]}' is wider than the dashboard");
            for (var cx = x; cx < x + w; cx++)
            {
                for (var cy = y; cy < y + h; cy++)
                {
                    Assert.True(occupied.Add((cx, cy)), $"panel '{panel["title"]}' overlaps another at ({cx},{cy})");
                }
            }
        }
    }

    [Fact]
    public void Chart_ships_the_same_dashboard()
    {
        var inChart = File.ReadAllText(Path.Combine(RepoPaths.Chart, "files", "spotalis-dashboard.json"));

        Assert.Equal(File.ReadAllText(RepoPaths.Dashboard), inChart);
    }

    [Fact]
    public void Chart_renders_the_dashboard_configmap_for_the_grafana_sidecar_when_enabled()
    {
        var manifests = new ChartRenderer(RepoPaths.Chart, "spotalis", "spotalis-system",
            new JsonObject { ["grafanaDashboard"] = new JsonObject { ["enabled"] = true } }).RenderManifests();
        var configMap = Manifests.Single(manifests, "ConfigMap", "spotalis-dashboard");

        Assert.Equal("1", configMap["metadata"]!["labels"]!["grafana_dashboard"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(Dashboard.Value, JsonNode.Parse(configMap["data"]!["spotalis-dashboard.json"]!.GetValue<string>())));
    }

    private static IEnumerable<JsonNode> Panels() =>
        Dashboard.Value["panels"]!.AsArray().Select(p => p!).Where(p => p["targets"] is not null);
}
