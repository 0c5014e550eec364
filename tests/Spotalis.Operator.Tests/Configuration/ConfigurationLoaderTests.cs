using Microsoft.Extensions.Logging;
using Spotalis.Operator.Configuration;

namespace Spotalis.Operator.Tests.Configuration;

public class ConfigurationLoaderTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public void Without_file_or_environment_every_default_of_the_contract_applies()
    {
        var config = ConfigurationLoader.Parse(null, NoEnvironment);

        Assert.Equal(SpotalisConfig.Default, config);
        Assert.Equal("", config.Namespace);
        Assert.False(config.ReadOnly);
        Assert.Equal(LogLevel.Information, config.LogLevel);
        Assert.Equal(LogFormat.Json, config.LogFormat);
        Assert.True(config.LeaderElection.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(15), config.LeaderElection.LeaseDuration);
        Assert.Equal("auto", config.NodeClassifier.Preset);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Controllers.ReconcileInterval);
        Assert.Equal(4, config.Controllers.MaxConcurrentReconciles);
        Assert.Equal(TimeSpan.FromMinutes(5), config.Controllers.FallbackAfter);
        Assert.Equal(TimeSpan.FromMinutes(10), config.Controllers.ReclaimAfter);
        Assert.Equal(1, config.Controllers.EvictionsPerSecond);
        Assert.Equal(5, config.Controllers.EvictionBurst);
        Assert.Equal(9443, config.Webhook.Port);
        Assert.Equal("0.0.0.0:8080", config.Metrics.Address);
        Assert.Equal("0.0.0.0:8081", config.Health.Address);
    }

    [Fact]
    public void Every_documented_default_parses_to_the_built_in_default()
    {
        var config = SpotalisConfig.Default;
        foreach (var key in ConfigurationKeys.All)
        {
            var text = key.DefaultValue == "\"\"" ? "" : key.DefaultValue;
            var applied = key.Apply(config, text);
            Assert.True(applied.Config is not null, $"{key.Path}: default '{key.DefaultValue}' is rejected: {applied.Error}");
            Assert.True(applied.Config == config, $"{key.Path}: default '{key.DefaultValue}' differs from the built-in default");
        }
    }

    [Fact]
    public void Yaml_sets_nested_keys_and_go_durations()
    {
        const string yaml = """
            namespace: shop
            readOnly: true
            logFormat: text
            leaderElection:
              identity: op-a
              leaseDuration: 20s
            controllers:
              cooldown: 1m30s
              fallbackAfter: 250ms
              evictionsPerSecond: 0.5
            nodeClassifier:
              preset: custom
              spotSelectors:
                - matchLabels: { pool: cheap }
                - matchExpressions:
                    - { key: lifecycle, operator: In, values: [spot, preemptible] }
            """;

        var config = ConfigurationLoader.Parse(yaml, NoEnvironment);

        Assert.Equal("shop", config.Namespace);
        Assert.True(config.ReadOnly);
        Assert.Equal(LogFormat.Text, config.LogFormat);
        Assert.Equal("op-a", config.LeaderElection.Identity);
        Assert.Equal(TimeSpan.FromSeconds(20), config.LeaderElection.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(90), config.Controllers.Cooldown);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.Controllers.FallbackAfter);
        Assert.Equal(0.5, config.Controllers.EvictionsPerSecond);
        Assert.Equal(2, config.NodeClassifier.SpotSelectors.Count);
        Assert.Equal("cheap", config.NodeClassifier.SpotSelectors[0].MatchLabels["pool"]);
        Assert.Equal(["spot", "preemptible"], config.NodeClassifier.SpotSelectors[1].MatchExpressions[0].Values);
    }

    [Fact]
    public void Environment_variables_override_the_file()
    {
        var environment = new Dictionary<string, string>
        {
            ["SPOTALIS_READ_ONLY"] = "true",
            ["SPOTALIS_CONTROLLERS_COOLDOWN"] = "5s",
            ["SPOTALIS_WEBHOOK_SELF_MANAGED_SECRET_NAME"] = "my-tls",
        };

        var config = ConfigurationLoader.Parse("readOnly: false\ncontrollers:\n  cooldown: 1m\n", environment);

        Assert.True(config.ReadOnly);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Controllers.Cooldown);
        Assert.Equal("my-tls", config.Webhook.SelfManaged.SecretName);
    }

    [Fact]
    public void Every_problem_is_listed_in_one_message()
    {
        const string yaml = """
            readOnly: maybe
            controllers:
              cooldown: 3x
              maxConcurrentReconciles: 0
            nodeClassifier:
              preset: azure
            bogus: 1
            disruptionWindow:
              schedule: "not a cron"
            """;
        var environment = new Dictionary<string, string> { ["SPOTALIS_METRICS_ADDRESS"] = "nope" };

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(yaml, environment));

        Assert.Contains("readOnly", error.Message, StringComparison.Ordinal);
        Assert.Contains("controllers.cooldown", error.Message, StringComparison.Ordinal);
        Assert.Contains("'3x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("controllers.maxConcurrentReconciles", error.Message, StringComparison.Ordinal);
        Assert.Contains("azure", error.Message, StringComparison.Ordinal);
        Assert.Contains("bogus: unknown key", error.Message, StringComparison.Ordinal);
        Assert.Contains("disruptionWindow", error.Message, StringComparison.Ordinal);
        Assert.Contains("SPOTALIS_METRICS_ADDRESS", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, error.Problems.Count);
    }

    [Fact]
    public void Leader_election_timings_must_be_ordered()
    {
        var environment = new Dictionary<string, string> { ["SPOTALIS_LEADER_ELECTION_RENEW_DEADLINE"] = "20s" };

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(null, environment));

        Assert.Contains("renewDeadline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_preset_without_spot_selectors_is_rejected()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse("nodeClassifier:\n  preset: custom\n", NoEnvironment));

        Assert.Contains("spotSelectors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_yaml_names_the_line()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse("controllers:\n  cooldown: [1\n", NoEnvironment));

        Assert.Contains("line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_config_file_is_a_clear_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load("/nonexistent/spotalis.yaml", NoEnvironment));

        Assert.Contains("/nonexistent/spotalis.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_key_has_a_distinct_SPOTALIS_environment_variable()
    {
        var variables = ConfigurationKeys.All.Select(k => k.EnvironmentVariable).ToList();

        Assert.All(variables, v => Assert.StartsWith("SPOTALIS_", v, StringComparison.Ordinal));
        Assert.Equal(variables.Count, variables.Distinct().Count());
        Assert.Equal(39, ConfigurationKeys.All.Count);
    }
}
