using Microsoft.Extensions.Logging;
using Spotalis.Operator.Configuration;

namespace Spotalis.Operator.Tests.Configuration;

/// <summary>The Go Spotalis config tree, environment names and value forms load with their Go meaning (issue #15).</summary>
public class GoConfigurationTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    /// <summary>What the Go chart's configmap renders from its default values (release namespace spotalis-system).</summary>
    public const string GoChartDefaultConfig = """
        operator:
          namespace: "spotalis-system"
          leaderElection:
            enabled: true
            id: "spotalis-controller-leader"
            namespace: "spotalis-system"
          readOnlyMode: false

        controllers:
          reconcileInterval: "60s"
          maxConcurrentReconciles: 2
          rateLimit:
            qps: 50
            burst: 100
          nodeClassifier:
            spotLabels:
              - matchLabels:
                  karpenter.sh/capacity-type: spot
            onDemandLabels:
              - matchLabels:
                  karpenter.sh/capacity-type: on-demand

        webhook:
          enabled: true
          port: 9443
          certDir: "/tmp/k8s-webhook-server/serving-certs"
          certName: "tls.crt"
          keyName: "tls.key"

        observability:
          logging:
            level: "info"
            format: "json"
            output: "stdout"
            addCaller: true
            development: false
          metrics:
            enabled: true
            bindAddress: ":8080"
            path: "/metrics"
          health:
            enabled: true
            bindAddress: ":8081"
            path: "/healthz"
        """;

    [Fact]
    public void The_Go_charts_default_config_block_loads_with_its_Go_meaning()
    {
        var config = ConfigurationLoader.Parse(GoChartDefaultConfig, NoEnvironment, "go-chart");

        Assert.Equal("spotalis-system", config.LeaderElection.LeaseNamespace);
        Assert.Equal("spotalis-controller-leader", config.LeaderElection.LeaseName);
        Assert.True(config.LeaderElection.Enabled);
        Assert.False(config.ReadOnly);
        Assert.Equal("", config.Namespace); // operator.namespace is not a watch filter
        Assert.Equal(TimeSpan.FromSeconds(60), config.Controllers.ReconcileInterval);
        Assert.Equal(2, config.Controllers.MaxConcurrentReconciles);
        Assert.Equal("spot", Assert.Single(config.NodeClassifier.SpotSelectors).MatchLabels["karpenter.sh/capacity-type"]);
        Assert.Equal("on-demand", Assert.Single(config.NodeClassifier.OnDemandSelectors).MatchLabels["karpenter.sh/capacity-type"]);
        Assert.Equal("/tmp/k8s-webhook-server/serving-certs", config.Webhook.CertDir);
        Assert.Equal(9443, config.Webhook.Port);
        Assert.Equal(LogLevel.Information, config.LogLevel);
        Assert.Equal(LogFormat.Json, config.LogFormat);
        Assert.Equal(":8080", config.Metrics.Address);
        Assert.Equal(":8081", config.Health.Address);
        Assert.Contains(config.Notices, n => n.Contains("operator.readOnlyMode", StringComparison.Ordinal) && n.Contains("use readOnly", StringComparison.Ordinal));
        Assert.Contains(config.Notices, n => n.Contains("controllers.rateLimit.qps", StringComparison.Ordinal) && n.Contains("never read", StringComparison.Ordinal));
    }

    [Fact]
    public void A_full_Go_config_tree_maps_every_setting()
    {
        const string yaml = """
            operator:
              namespace: platform
              readOnlyMode: true
              leaderElection:
                enabled: false
                id: my-leader
                leaseDuration: 30s
              disruptionWindow:
                schedule: "0 2 * * *"
                duration: 4h
            controllers:
              maxConcurrentReconciles: 3
              reconcileInterval: 2m
              nodeClassifier:
                spotLabels:
                  - matchLabels: { node-pool: cheap }
                  - matchExpressions:
                      - { key: lifecycle, operator: In, values: [spot] }
                onDemandLabels:
                  - matchLabels: { node-pool: steady }
              workloadTiming:
                cooldownPeriod: 10s
                disruptionRetryInterval: 1m
                disruptionWindowPollInterval: 10m
            webhook:
              enabled: true
              port: 9444
              certDir: /certs
              certName: tls.crt
              keyName: tls.key
            observability:
              metrics:
                enabled: true
                bindAddress: 127.0.0.1:9090
                path: /metrics
              health:
                enabled: true
                bindAddress: :9091
                path: /healthz
              logging:
                level: warn
                format: console
            """;

        var config = ConfigurationLoader.Parse(yaml, NoEnvironment);

        Assert.Equal("platform", config.LeaderElection.LeaseNamespace);
        Assert.Equal("platform", config.Webhook.SelfManaged.ServiceNamespace);
        Assert.Equal("", config.Namespace);
        Assert.True(config.ReadOnly);
        Assert.False(config.LeaderElection.Enabled);
        Assert.Equal("my-leader", config.LeaderElection.LeaseName);
        Assert.Equal(TimeSpan.FromSeconds(30), config.LeaderElection.LeaseDuration);
        Assert.Equal("0 2 * * *", config.DisruptionWindow.Schedule);
        Assert.Equal(TimeSpan.FromHours(4), config.DisruptionWindow.Duration);
        Assert.Equal("UTC", config.DisruptionWindow.TimeZone);
        Assert.Equal(3, config.Controllers.MaxConcurrentReconciles);
        Assert.Equal(TimeSpan.FromMinutes(2), config.Controllers.ReconcileInterval);
        Assert.Equal(2, config.NodeClassifier.SpotSelectors.Count);
        Assert.Equal("steady", Assert.Single(config.NodeClassifier.OnDemandSelectors).MatchLabels["node-pool"]);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Controllers.Cooldown);
        Assert.Equal(9444, config.Webhook.Port);
        Assert.Equal("/certs", config.Webhook.CertDir);
        Assert.Equal("127.0.0.1:9090", config.Metrics.Address);
        Assert.Equal(":9091", config.Health.Address);
        Assert.Equal(LogLevel.Warning, config.LogLevel);
        Assert.Equal(LogFormat.Text, config.LogFormat);
        Assert.Contains(config.Notices, n => n.Contains("disruptionRetryInterval", StringComparison.Ordinal) && n.Contains("not applied", StringComparison.Ordinal));
        Assert.Contains(config.Notices, n => n.Contains("disruptionWindowPollInterval", StringComparison.Ordinal) && n.Contains("not applied", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SPOTALIS_OPERATOR_NAMESPACE", "ops", "leaseNamespace")]
    [InlineData("NAMESPACE", "ops", "leaseNamespace")]
    [InlineData("SPOTALIS_OPERATOR_READ_ONLY_MODE", "true", "readOnly")]
    [InlineData("SPOTALIS_LEADER_ELECTION_ENABLED", "0", "leaderElectionOff")]
    [InlineData("DISABLE_LEADER_ELECTION", "true", "leaderElectionOff")]
    [InlineData("SPOTALIS_LEADER_ELECTION_ID", "go-leader", "leaseName")]
    [InlineData("SPOTALIS_LEADER_ELECTION_LEASE_DURATION", "40s", "leaseDuration")]
    [InlineData("SPOTALIS_CONTROLLERS_MAX_CONCURRENT_RECONCILES", "7", "maxConcurrent")]
    [InlineData("SPOTALIS_CONTROLLERS_RECONCILE_INTERVAL", "90s", "reconcileInterval")]
    [InlineData("SPOTALIS_CONTROLLERS_WORKLOAD_COOLDOWN_PERIOD", "1s", "cooldown")]
    [InlineData("SPOTALIS_CONTROLLERS_WORKLOAD_DISRUPTION_RETRY_INTERVAL", "1m", "noteRetry")]
    [InlineData("SPOTALIS_CONTROLLERS_WORKLOAD_DISRUPTION_WINDOW_POLL_INTERVAL", "10m", "notePoll")]
    [InlineData("SPOTALIS_WEBHOOK_ENABLED", "off", "webhookOff")]
    [InlineData("DISABLE_WEBHOOK", "yes", "webhookOff")]
    [InlineData("SPOTALIS_WEBHOOK_PORT", "9555", "webhookPort")]
    [InlineData("SPOTALIS_WEBHOOK_CERT_DIR", "/certs", "certDir")]
    [InlineData("SPOTALIS_METRICS_ENABLED", "1", "defaults")]
    [InlineData("SPOTALIS_METRICS_BIND_ADDRESS", ":9100", "metricsAddress")]
    [InlineData("METRICS_ADDR", ":9100", "metricsAddress")]
    [InlineData("SPOTALIS_LOGGING_LEVEL", "info", "logInfo")]
    [InlineData("SPOTALIS_LOGGING_LEVEL", "warn", "logWarn")]
    [InlineData("SPOTALIS_LOGGING_FORMAT", "console", "logText")]
    [InlineData("SPOTALIS_HEALTH_ENABLED", "on", "defaults")]
    [InlineData("SPOTALIS_HEALTH_BIND_ADDRESS", ":9101", "healthAddress")]
    [InlineData("PROBE_ADDR", ":9101", "healthAddress")]
    public void Each_Go_environment_name_sets_its_setting(string name, string value, string expectation)
    {
        var config = ConfigurationLoader.Parse(null, new Dictionary<string, string> { [name] = value });

        switch (expectation)
        {
            case "leaseNamespace":
                Assert.Equal("ops", config.LeaderElection.LeaseNamespace);
                Assert.Equal("", config.Namespace);
                break;
            case "readOnly": Assert.True(config.ReadOnly); break;
            case "leaderElectionOff": Assert.False(config.LeaderElection.Enabled); break;
            case "leaseName": Assert.Equal("go-leader", config.LeaderElection.LeaseName); break;
            case "leaseDuration": Assert.Equal(TimeSpan.FromSeconds(40), config.LeaderElection.LeaseDuration); break;
            case "maxConcurrent": Assert.Equal(7, config.Controllers.MaxConcurrentReconciles); break;
            case "reconcileInterval": Assert.Equal(TimeSpan.FromSeconds(90), config.Controllers.ReconcileInterval); break;
            case "cooldown": Assert.Equal(TimeSpan.FromSeconds(1), config.Controllers.Cooldown); break;
            case "noteRetry" or "notePoll": Assert.Contains(config.Notices, n => n.Contains(name, StringComparison.Ordinal) && n.Contains("not applied", StringComparison.Ordinal)); break;
            case "webhookOff": Assert.False(config.Webhook.Enabled); break;
            case "webhookPort": Assert.Equal(9555, config.Webhook.Port); break;
            case "certDir": Assert.Equal("/certs", config.Webhook.CertDir); break;
            case "metricsAddress": Assert.Equal(":9100", config.Metrics.Address); break;
            case "healthAddress": Assert.Equal(":9101", config.Health.Address); break;
            case "logInfo": Assert.Equal(LogLevel.Information, config.LogLevel); break;
            case "logWarn": Assert.Equal(LogLevel.Warning, config.LogLevel); break;
            case "logText": Assert.Equal(LogFormat.Text, config.LogFormat); break;
            case "defaults": Assert.Equal(SpotalisConfig.Default with { Notices = config.Notices }, config); break;
            default: throw new ArgumentOutOfRangeException(nameof(expectation));
        }

        var ownName = ConfigurationKeys.All.Any(k => k.EnvironmentVariable == name);
        Assert.Equal(!ownName, config.Notices.Any(n => n.Contains($"environment variable {name} is the Go Spotalis spelling", StringComparison.Ordinal)));
    }

    [Fact]
    public void Go_read_only_switch_gives_read_only_mode()
    {
        var config = ConfigurationLoader.Parse(null, new Dictionary<string, string> { ["SPOTALIS_OPERATOR_READ_ONLY_MODE"] = "true" });

        Assert.True(config.ReadOnly);
        Assert.Contains("environment variable SPOTALIS_OPERATOR_READ_ONLY_MODE is the Go Spotalis spelling; use SPOTALIS_READ_ONLY", config.Notices);
    }

    [Fact]
    public void An_unknown_SPOTALIS_variable_stops_startup_with_a_suggestion()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            ConfigurationLoader.Parse(null, new Dictionary<string, string> { ["SPOTALIS_CONTROLLERS_COOLDOWNN"] = "1s" }));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("SPOTALIS_CONTROLLERS_COOLDOWNN", problem, StringComparison.Ordinal);
        Assert.Contains("did you mean SPOTALIS_CONTROLLERS_COOLDOWN?", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_yaml_key_gets_a_suggestion_from_both_trees()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            ConfigurationLoader.Parse("operator:\n  readOnlyMod: true\ncontrollers:\n  coldown: 1s\n", NoEnvironment));

        Assert.Contains("operator.readOnlyMod: unknown key; did you mean operator.readOnlyMode?", error.Problems);
        Assert.Contains("controllers.coldown: unknown key; did you mean controllers.cooldown?", error.Problems);
    }

    [Fact]
    public void Kubernetes_service_link_variables_are_neither_settings_nor_unknown()
    {
        var environment = new Dictionary<string, string>
        {
            ["SPOTALIS_WEBHOOK_PORT"] = "tcp://10.96.0.12:443",
            ["SPOTALIS_WEBHOOK_SERVICE_HOST"] = "10.96.0.12",
            ["SPOTALIS_WEBHOOK_SERVICE_PORT"] = "443",
            ["SPOTALIS_WEBHOOK_SERVICE_PORT_WEBHOOK"] = "443",
            ["SPOTALIS_WEBHOOK_PORT_443_TCP"] = "tcp://10.96.0.12:443",
            ["SPOTALIS_WEBHOOK_PORT_443_TCP_ADDR"] = "10.96.0.12",
            ["SPOTALIS_METRICS_PORT_8080_TCP_PROTO"] = "tcp",
        };

        var config = ConfigurationLoader.Parse(null, environment);

        Assert.Equal(9443, config.Webhook.Port);
        Assert.Contains(config.Notices, n => n.Contains("service-link", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("readOnly: true\noperator:\n  readOnlyMode: false\n", "readOnly", "operator.readOnlyMode")]
    [InlineData("leaderElection:\n  leaseName: a\noperator:\n  leaderElection:\n    id: b\n", "leaderElection.leaseName", "operator.leaderElection.id")]
    [InlineData("controllers:\n  cooldown: 30s\n  workloadTiming:\n    cooldownPeriod: 10s\n", "controllers.cooldown", "controllers.workloadTiming.cooldownPeriod")]
    [InlineData("logLevel: Debug\nobservability:\n  logging:\n    level: error\n", "logLevel", "observability.logging.level")]
    [InlineData("metrics:\n  address: 0.0.0.0:8080\nobservability:\n  metrics:\n    bindAddress: :9090\n", "metrics.address", "observability.metrics.bindAddress")]
    public void Two_spellings_that_disagree_in_one_file_stop_startup_naming_both(string yaml, string ours, string go)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(yaml, NoEnvironment));

        var problem = Assert.Single(error.Problems);
        Assert.Contains(ours, problem, StringComparison.Ordinal);
        Assert.Contains(go, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_spellings_that_agree_are_accepted()
    {
        var config = ConfigurationLoader.Parse("readOnly: true\noperator:\n  readOnlyMode: \"yes\"\n", NoEnvironment);

        Assert.True(config.ReadOnly);
    }

    [Fact]
    public void Two_environment_spellings_that_disagree_stop_startup_naming_both()
    {
        var environment = new Dictionary<string, string> { ["SPOTALIS_READ_ONLY"] = "false", ["SPOTALIS_OPERATOR_READ_ONLY_MODE"] = "true" };

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(null, environment));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("SPOTALIS_READ_ONLY", problem, StringComparison.Ordinal);
        Assert.Contains("SPOTALIS_OPERATOR_READ_ONLY_MODE", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_overrides_a_Go_file_without_a_conflict()
    {
        var config = ConfigurationLoader.Parse("operator:\n  readOnlyMode: false\n", new Dictionary<string, string> { ["SPOTALIS_READ_ONLY"] = "true" });

        Assert.True(config.ReadOnly);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("yes", true)]
    [InlineData("No", false)]
    [InlineData("on", true)]
    [InlineData("OFF", false)]
    public void Go_boolean_forms_are_accepted(string value, bool expected)
    {
        var config = ConfigurationLoader.Parse($"readOnly: \"{value}\"\n", NoEnvironment);

        Assert.Equal(expected, config.ReadOnly);
    }

    [Theory]
    [InlineData("observability:\n  metrics:\n    enabled: false\n", "observability.metrics.enabled")]
    [InlineData("observability:\n  health:\n    enabled: false\n", "observability.health.enabled")]
    [InlineData("observability:\n  metrics:\n    path: /prom\n", "observability.metrics.path")]
    [InlineData("observability:\n  health:\n    path: /live\n", "observability.health.path")]
    [InlineData("observability:\n  logging:\n    output: stderr\n", "observability.logging.output")]
    [InlineData("observability:\n  metrics:\n    bindAddress: \"0\"\n", "metrics.address")]
    [InlineData("webhook:\n  certName: cert.pem\n", "webhook.certName")]
    [InlineData("webhook:\n  keyName: key.pem\n", "webhook.keyName")]
    [InlineData("operator:\n  disruptionWindow:\n    schedule: \"0 2 * * *\"\n", "operator.disruptionWindow.duration")]
    public void A_Go_setting_this_operator_cannot_honour_stops_startup(string yaml, string named)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(yaml, NoEnvironment));

        Assert.Contains(error.Problems, p => p.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void Go_chart_only_values_are_logged_as_not_applied()
    {
        const string yaml = """
            operator:
              leaderElection:
                namespace: elsewhere
            controllers:
              watchNamespaces: [team-a, team-b]
            observability:
              logging:
                addCaller: true
                development: true
            """;

        var config = ConfigurationLoader.Parse(yaml, NoEnvironment);

        Assert.Equal("spotalis-system", config.LeaderElection.LeaseNamespace);
        Assert.Equal("", config.NamespaceSelector);
        Assert.Contains(config.Notices, n => n.Contains("operator.leaderElection.namespace", StringComparison.Ordinal) && n.Contains("not applied", StringComparison.Ordinal));
        Assert.Contains(config.Notices, n => n.Contains("team-a, team-b", StringComparison.Ordinal) && n.Contains("kubernetes.io/metadata.name in (team-a,team-b)", StringComparison.Ordinal));
        Assert.Contains(config.Notices, n => n.Contains("observability.logging.addCaller", StringComparison.Ordinal));
        Assert.Contains(config.Notices, n => n.Contains("observability.logging.development", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_Go_spelling_logs_exactly_one_deprecation_line()
    {
        var config = ConfigurationLoader.Parse(GoChartDefaultConfig, new Dictionary<string, string> { ["SPOTALIS_LOGGING_LEVEL"] = "debug" });

        Assert.Single(config.Notices, n => n.StartsWith("config key operator.namespace ", StringComparison.Ordinal));
        Assert.Single(config.Notices, n => n.StartsWith("environment variable SPOTALIS_LOGGING_LEVEL ", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, config.LogLevel);
        Assert.Equal(config.Notices.Count, config.Notices.Distinct().Count());
    }
}
