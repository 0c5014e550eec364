using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>
/// The dashboard and the alerts only query metrics a running operator really exports, and the operator exports
/// every metric of the product contract with its agreed type.
/// </summary>
public sealed class ScrapedMetricsTests(RunningOperator running) : IClassFixture<RunningOperator>
{
    [Fact]
    public void Every_contract_metric_is_exported_with_its_type()
    {
        var missing = KnownMetrics.Types.Where(m => !running.Exported.TryGetValue(m.Key, out var type) || type != m.Value)
            .Select(m => $"{m.Key} ({m.Value}): {(running.Exported.TryGetValue(m.Key, out var t) ? t : "not exported")}").ToList();

        Assert.True(missing.Count == 0, "not exported as agreed:\n" + string.Join("\n", missing) + "\nexported: " + string.Join(", ", running.Exported.Keys));
    }

    [Fact]
    public void Every_series_the_dashboard_queries_is_exported()
    {
        var queried = MetricQueries.SeriesIn(string.Join("\n", MetricQueries.Strings(JsonNode.Parse(File.ReadAllText(RepoPaths.Dashboard)))));

        Assert.All(queried, s => Assert.True(running.IsExported(s), $"dashboard queries {s}, which the running operator does not export"));
    }

    [Fact]
    public void Every_series_the_alerts_query_is_exported()
    {
        var queried = MetricQueries.SeriesIn(File.ReadAllText(RepoPaths.AlertRules));

        Assert.All(queried, s => Assert.True(running.IsExported(s), $"alert rules query {s}, which the running operator does not export"));
    }

}
