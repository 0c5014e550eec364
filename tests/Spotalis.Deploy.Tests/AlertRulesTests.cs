using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>The PrometheusRule alerts on the situations the issue names and only queries exported metrics.</summary>
public sealed class AlertRulesTests
{
    private static readonly Lazy<JsonObject> RuleFile = new(() => (JsonObject)YamlValues.ParseOne(File.ReadAllText(RepoPaths.AlertRules))!);

    private static IEnumerable<JsonNode> Rules() =>
        RuleFile.Value["spec"]!["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Select(r => r!);

    [Fact]
    public void Rule_file_is_a_prometheus_rule()
    {
        Assert.Equal("monitoring.coreos.com/v1", RuleFile.Value["apiVersion"]!.GetValue<string>());
        Assert.Equal("PrometheusRule", RuleFile.Value["kind"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("SpotalisOnDemandFloorAtRisk")]
    [InlineData("SpotalisWebhookErrors")]
    [InlineData("SpotalisWorkloadStuckInFallback")]
    [InlineData("SpotalisNoLeader")]
    public void Alert_exists_with_severity_and_explanation(string name)
    {
        var rule = Assert.Single(Rules(), r => r["alert"]?.GetValue<string>() == name);

        Assert.Contains(rule["labels"]!["severity"]!.GetValue<string>(), new[] { "critical", "warning", "info" });
        Assert.False(string.IsNullOrWhiteSpace(rule["annotations"]!["summary"]?.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(rule["annotations"]!["description"]?.GetValue<string>()));
    }

    [Fact]
    public void Every_queried_series_is_an_exported_metric()
    {
        var series = MetricQueries.SeriesIn(string.Join("\n", Rules().Select(r => r["expr"]!.GetValue<string>())));

        Assert.NotEmpty(series);
        Assert.All(series, s => Assert.True(KnownMetrics.MetricOf(s) is not null, $"alert queries {s}, which the operator does not export"));
    }

    [Fact]
    public void Alert_names_are_unique()
    {
        var names = Rules().Select(r => r["alert"]!.GetValue<string>()).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
