using System.Text.Json.Nodes;
using NJsonSchema;
using Spotalis.Operator.Configuration;

namespace Spotalis.Deploy.Tests;

/// <summary>A values file written for the Go Spotalis chart installs with this chart, each value honoured or mapped (issue #15).</summary>
public sealed class GoChartValuesTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(RepoPaths.Chart, "values.schema.json"))).GetAwaiter().GetResult());

    private static string GoValuesPath => Path.Combine(RepoPaths.Root, "examples", "migration", "go-chart-values.yaml");

    private static JsonObject GoValues() => (JsonObject)YamlValues.ParseOne(File.ReadAllText(GoValuesPath))!;

    private static IReadOnlyList<JsonObject> Render(JsonObject values) =>
        new ChartRenderer(RepoPaths.Chart, "spotalis", "spotalis-system", values).RenderManifests();

    private static JsonNode Pod(IReadOnlyList<JsonObject> manifests) => Manifests.Single(manifests, "Deployment", "spotalis")["spec"]!["template"]!["spec"]!;

    private static SpotalisConfig LoadedConfig(IReadOnlyList<JsonObject> manifests, IReadOnlyDictionary<string, string>? environment = null) =>
        ConfigurationLoader.Parse(Manifests.Single(manifests, "ConfigMap", "spotalis-config")["data"]!["config.yaml"]!.GetValue<string>(),
            environment ?? new Dictionary<string, string>(), "chart with Go values");

    private static JsonObject Merged(JsonObject overrides)
    {
        var values = (JsonObject)YamlValues.ParseOne(File.ReadAllText(Path.Combine(RepoPaths.Chart, "values.yaml")))!;
        Merge(values, overrides);
        return values;
    }

    [Fact]
    public void The_Go_values_file_passes_this_charts_schema()
    {
        var errors = Schema.Value.Validate(Merged(GoValues()).ToJsonString());

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [InlineData("webhook.failurePolicy", "\"Fail\"")]
    [InlineData("rbac.scope", "\"namespace\"")]
    [InlineData("fullnameOverride", "\"my-spotalis\"")]
    [InlineData("webhook.certManagr", "{\"enabled\": true}")]
    [InlineData("config.operator.readOnlyMod", "true")]
    [InlineData("config.observability.logging.level", "\"verbose\"")]
    [InlineData("config.controllers.workloadTiming.cooldownPeriod", "\"10 seconds\"")]
    [InlineData("service.metricPort", "8080")]
    public void The_schema_still_rejects_typos_and_unsupported_Go_values(string path, string json)
    {
        var values = Merged(GoValues());
        Set(values, path, JsonNode.Parse(json));

        Assert.NotEmpty(Schema.Value.Validate(values.ToJsonString()));
    }

    [Fact]
    public void The_chart_renders_with_the_Go_values_file_and_the_operator_loads_the_result()
    {
        var manifests = Render(GoValues());
        var extraEnv = Pod(manifests)["containers"]![0]!["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        var config = LoadedConfig(manifests, extraEnv);

        Assert.Equal("spotalis-controller-leader", config.LeaderElection.LeaseName);
        Assert.Equal("spotalis-system", config.LeaderElection.LeaseNamespace);
        Assert.Equal("0 2 * * *", config.DisruptionWindow.Schedule);
        Assert.Equal(TimeSpan.FromHours(4), config.DisruptionWindow.Duration);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Controllers.ReconcileInterval);
        Assert.Equal(2, config.Controllers.MaxConcurrentReconciles);
        Assert.Equal(TimeSpan.FromMinutes(1), config.Controllers.Cooldown); // extraEnv, Go name
        Assert.Equal("/var/run/spotalis/tls", config.Webhook.CertDir); // webhook.certManager.enabled
        Assert.Equal(":8080", config.Metrics.Address);
        Assert.Single(config.NodeClassifier.SpotSelectors);
        Assert.Contains(config.Notices, n => n.Contains("controllers.rateLimit.qps", StringComparison.Ordinal));
        Assert.Contains(config.Notices, n => n.Contains("SPOTALIS_CONTROLLERS_WORKLOAD_COOLDOWN_PERIOD is the Go Spotalis spelling", StringComparison.Ordinal));
    }

    [Fact]
    public void Pod_level_Go_values_are_honoured()
    {
        var manifests = Render(GoValues());
        var deployment = Manifests.Single(manifests, "Deployment", "spotalis");
        var pod = Pod(manifests);
        var container = pod["containers"]![0]!;

        Assert.Equal("registry.example.com/platform/spotalis:0.1.0", container["image"]!.GetValue<string>());
        Assert.Equal("true", deployment["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/scrape"]!.GetValue<string>());
        Assert.Equal(65532, pod["securityContext"]!["runAsUser"]!.GetValue<long>());
        Assert.Equal(45, pod["terminationGracePeriodSeconds"]!.GetValue<long>());
        Assert.False(pod["enableServiceLinks"]!.GetValue<bool>());
        Assert.Contains(pod["volumes"]!.AsArray(), v => v!["name"]!.GetValue<string>() == "ca-bundle");
        Assert.Contains(container["volumeMounts"]!.AsArray(), m => m!["mountPath"]!.GetValue<string>() == "/etc/ssl/corporate");
        Assert.Contains(container["volumeMounts"]!.AsArray(), m => m!["mountPath"]!.GetValue<string>() == "/var/run/spotalis/tls");
        Assert.Equal("arn:aws:iam::111122223333:role/spotalis",
            Manifests.Single(manifests, "ServiceAccount", "spotalis")["metadata"]!["annotations"]!["eks.amazonaws.com/role-arn"]!.GetValue<string>());
        Assert.Equal("platform", Manifests.Single(manifests, "Service", "spotalis-metrics")["metadata"]!["labels"]!["team"]!.GetValue<string>());
    }

    [Fact]
    public void Go_cert_manager_values_render_the_certificate_and_the_lease_name_reaches_the_role()
    {
        var manifests = Render(GoValues());
        var certificate = Manifests.Single(manifests, "Certificate", "spotalis-webhook");
        var role = Manifests.Single(manifests, "Role", "spotalis");

        Assert.Equal("2160h", certificate["spec"]!["duration"]!.GetValue<string>());
        Assert.Equal("spotalis-system/spotalis-webhook",
            Manifests.Single(manifests, "MutatingWebhookConfiguration", "spotalis")["metadata"]!["annotations"]!["cert-manager.io/inject-ca-from"]!.GetValue<string>());
        Assert.Contains(role["rules"]!.AsArray(), r => r!["resourceNames"]?.AsArray().Any(n => n!.GetValue<string>() == "spotalis-controller-leader") == true);
        Assert.DoesNotContain(role["rules"]!.AsArray(), r => r!["resources"]![0]!.GetValue<string>() == "secrets");
    }

    [Fact]
    public void An_existing_tls_secret_is_mounted_and_no_certificate_is_rendered()
    {
        var values = GoValues();
        values["webhook"]!["tls"]!["existingSecret"] = "my-webhook-tls";
        var manifests = Render(values);

        Assert.DoesNotContain(manifests, m => m["kind"]!.GetValue<string>() == "Certificate");
        Assert.Contains(Pod(manifests)["volumes"]!.AsArray(), v => v!["secret"]?["secretName"]?.GetValue<string>() == "my-webhook-tls");
        Assert.Equal("spotalis-system/my-webhook-tls",
            Manifests.Single(manifests, "MutatingWebhookConfiguration", "spotalis")["metadata"]!["annotations"]!["cert-manager.io/inject-ca-from-secret"]!.GetValue<string>());
        Assert.Equal("/var/run/spotalis/tls", LoadedConfig(manifests).Webhook.CertDir);
    }

    [Fact]
    public void Go_switches_read_only_and_webhook_off_and_leader_election_off()
    {
        var values = GoValues();
        values["config"]!["operator"]!["readOnlyMode"] = true;
        values["config"]!["operator"]!["leaderElection"]!["enabled"] = false;
        values["webhook"]!["enabled"] = false;
        var manifests = Render(values);
        var config = LoadedConfig(manifests);

        Assert.True(config.ReadOnly);
        Assert.False(config.LeaderElection.Enabled);
        Assert.False(config.Webhook.Enabled);
        Assert.DoesNotContain(manifests, m => m["kind"]!.GetValue<string>() == "MutatingWebhookConfiguration");
    }

    [Fact]
    public void Go_rbac_and_service_account_switches_are_honoured()
    {
        var values = GoValues();
        values["rbac"]!["create"] = false;
        values["serviceAccount"]!["create"] = false;
        values["serviceAccount"]!["name"] = "existing-sa";
        var manifests = Render(values);

        Assert.DoesNotContain(manifests, m => m["kind"]!.GetValue<string>() is "ClusterRole" or "Role" or "ClusterRoleBinding" or "RoleBinding" or "ServiceAccount");
        Assert.Equal("existing-sa", Pod(manifests)["serviceAccountName"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("image", "{\"repository\": \"ahoma/spotalis\"}", "Go Spotalis image")]
    [InlineData("webhook", "{\"failurePolicy\": \"Fail\"}", "must be Ignore")]
    [InlineData("rbac", "{\"scope\": \"namespace\"}", "rbac.scope=namespace")]
    [InlineData("fullnameOverride", "\"my-spotalis\"", "fullnameOverride")]
    public void Go_values_this_chart_cannot_honour_stop_the_install_with_a_message(string key, string json, string message)
    {
        var values = GoValues();
        if (JsonNode.Parse(json) is JsonObject change && values[key] is JsonObject existing)
        {
            Merge(existing, change);
        }
        else
        {
            values[key] = JsonNode.Parse(json);
        }

        var error = Assert.Throws<ChartFailedException>(() => Render(values));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_SPOTALIS_variable_in_extraEnv_stops_the_operator_with_a_suggestion()
    {
        var manifests = Render(GoValues());

        var error = Assert.Throws<ConfigurationException>(() =>
            LoadedConfig(manifests, new Dictionary<string, string> { ["SPOTALIS_OPERATOR_LOGLEVEL"] = "debug" }));

        Assert.Contains("SPOTALIS_OPERATOR_LOGLEVEL", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean SPOTALIS_LOG_LEVEL?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void This_charts_own_values_still_render_without_any_Go_value()
    {
        var manifests = new ChartRenderer(RepoPaths.Chart, "spotalis", "spotalis-system").RenderManifests();
        var config = LoadedConfig(manifests);

        Assert.Empty(config.Notices);
        Assert.Equal(SpotalisConfig.Default.LeaderElection.LeaseName, config.LeaderElection.LeaseName);
        Assert.DoesNotContain(manifests, m => m["kind"]!.GetValue<string>() == "Certificate");
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = node[part] as JsonObject ?? (JsonObject)(node[part] = new JsonObject());
        }

        node[parts[^1]] = value;
    }

    private static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
