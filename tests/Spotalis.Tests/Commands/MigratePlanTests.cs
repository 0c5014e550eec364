using Spotalis.Commands;
using Spotalis.Migration;
using Spotalis.Operator.Configuration;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>The file side of `spotalis migrate`: PromQL rewrites of Go metric names, the translated config, refused chart values.</summary>
public sealed class MigratePlanTests
{
    [Theory]
    [InlineData("spotalis_workload_replicas{namespace=\"shop\", replica_type=\"spot\"}",
        "spotalis_workload_actual_replicas{namespace=\"shop\", capacity_type=\"spot\"}", true)]
    [InlineData("sum by (workload_type, replica_type) (spotalis_workload_replicas)",
        "sum by (kind, capacity_type) (spotalis_workload_actual_replicas)", true)]
    [InlineData("rate(spotalis_rebalancing_blocked_by_pdb_total[5m])",
        "rate(spotalis_evictions_total{result=\"blocked_pdb\"}[5m])", true)]
    [InlineData("sum(rate(spotalis_reconciliations_total{result=\"error\"}[5m]))",
        "sum(rate(spotalis_reconcile_total{result=\"error\"}[5m]))", true)]
    [InlineData("max(spotalis_leader_election_status) < 1", "max(spotalis_leader) < 1", true)]
    [InlineData("time() - spotalis_controller_last_seen_timestamp > 300", "time() - timestamp(spotalis_cache_synced) > 300", true)]
    [InlineData("sum by (namespace) (rate(spotalis_reconciliation_errors_total{namespace=~\"team-.*\"}[5m]))",
        "sum by () (rate(spotalis_reconcile_total{result=\"error\"}[5m]))", false)]
    [InlineData("sum(rate(spotalis_webhook_mutations_total{mutation_type=\"nodeSelector\"}[1m]))",
        "sum(rate(spotalis_webhook_decisions_total[1m]))", false)]
    public void Go_metric_queries_are_rewritten_exactly_or_say_what_was_dropped(string original, string expected, bool exact)
    {
        var rewrite = PromQlRewriter.Rewrite("test", original);

        Assert.Equal(expected, rewrite.Rewritten);
        Assert.Equal(exact, rewrite.Exact);
        Assert.Equal(exact, rewrite.Notes.Count == 0);
    }

    [Fact]
    public void Queries_of_this_projects_own_metrics_are_not_reported()
    {
        Assert.Empty(ClusterScanner.MetricItems("own", """{"expr": "sum(rate(spotalis_webhook_requests_total{result=\"patched\"}[5m]))"}"""));
        Assert.Empty(ClusterScanner.MetricItems("own", """{"expr": "spotalis_workload_actual_replicas"}"""));
    }

    [Fact]
    public void Dashboards_and_rule_files_are_searched_for_expressions()
    {
        const string rules = """
            groups:
              - name: spotalis
                rules:
                  - alert: SpotalisDown
                    expr: time() - spotalis_controller_last_seen_timestamp > 600
            """;

        var item = Assert.Single(ClusterScanner.MetricItems("rules.yaml", rules));

        Assert.Equal("renamed-metric", item.Kind);
        Assert.Equal("time() - timestamp(spotalis_cache_synced) > 600", item.Rewrite!.Rewritten);
    }

    [Fact]
    public void The_translated_Go_config_loads_to_the_same_settings_as_the_Go_file()
    {
        const string go = """
            operator:
              namespace: platform
              readOnlyMode: true
              leaderElection: {id: my-lease}
              disruptionWindow: {schedule: "0 2 * * *", duration: 4h}
            controllers:
              workloadTiming: {cooldownPeriod: 10s}
              nodeClassifier:
                spotLabels: [{matchLabels: {pool: cheap}}]
            observability:
              logging: {level: warn, format: console}
              metrics: {bindAddress: ":9090"}
            """;

        var (translation, items) = FileScanner.Config(go, "go.yaml");
        var fromGo = ConfigurationLoader.Parse(go, new Dictionary<string, string>());
        var fromTranslation = ConfigurationLoader.Parse(translation.Yaml, new Dictionary<string, string>());

        Assert.Empty(items);
        Assert.Empty(fromTranslation.Notices);
        Assert.Equal(fromGo with { Notices = [], NodeClassifier = fromTranslation.NodeClassifier }, fromTranslation);
        Assert.Equal("cheap", Assert.Single(fromTranslation.NodeClassifier.SpotSelectors).MatchLabels["pool"]);
        Assert.Contains("operator.readOnlyMode", translation.GoSpellingsUsed);
    }

    [Fact]
    public void A_Go_config_the_operator_would_refuse_is_an_action_item()
    {
        var (_, items) = FileScanner.Config("observability:\n  metrics:\n    enabled: false\n", "go.yaml");

        var item = Assert.Single(items);
        Assert.Equal("config-problem", item.Kind);
        Assert.True(item.ActionNeeded);
    }

    [Fact]
    public void Chart_values_this_chart_refuses_are_listed()
    {
        const string values = """
            image: {repository: ahoma/spotalis}
            webhook: {failurePolicy: Fail}
            rbac: {scope: namespace}
            extraEnv: [{name: SPOTALIS_OPERATOR_LOGLEVEL, value: debug}]
            """;

        var (_, items) = FileScanner.Values(values, "values.yaml");

        Assert.Contains(items, i => i.Subject == "values.yaml: image.repository");
        Assert.Contains(items, i => i.Subject == "values.yaml: webhook.failurePolicy");
        Assert.Contains(items, i => i.Subject == "values.yaml: rbac.scope");
        Assert.Contains(items, i => i.Subject == "values.yaml: extraEnv" && i.Finding.Contains("did you mean SPOTALIS_LOG_LEVEL?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_without_a_cluster_checks_only_the_files_and_its_help_has_examples()
    {
        using var directory = new TemporaryDirectory();
        var config = directory.File("go.yaml");
        await File.WriteAllTextAsync(config, "operator:\n  readOnlyMode: true\n");

        var (code, output, error) = await CliRunner.RunAsync("migrate", "--no-cluster", "--config", config);
        var (helpCode, help, _) = await CliRunner.RunAsync("migrate", "--help");

        Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}");
        Assert.Contains("readOnly: true", output, StringComparison.Ordinal);
        Assert.Contains("Nothing to do", output, StringComparison.Ordinal);
        Assert.Equal(0, helpCode);
        Assert.Contains("Examples:", help, StringComparison.Ordinal);
        Assert.Contains("spotalis migrate --config old-config.yaml --apply", help, StringComparison.Ordinal);
    }
}
