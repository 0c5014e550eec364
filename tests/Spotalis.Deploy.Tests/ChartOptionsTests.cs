using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>The chart's optional parts render objects that fit together (the rest is compared with kustomize).</summary>
public sealed class ChartOptionsTests
{
    [Fact]
    public void Service_monitor_scrapes_the_metrics_service_port()
    {
        var manifests = Render(new JsonObject { ["serviceMonitor"] = new JsonObject { ["enabled"] = true, ["labels"] = new JsonObject { ["release"] = "prom" } } });
        var monitor = Manifests.Single(manifests, "ServiceMonitor", "spotalis");
        var service = Manifests.Single(manifests, "Service", "spotalis-metrics");
        var selector = monitor["spec"]!["selector"];
        var serviceLabels = service["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray())!;

        Assert.True(LabelSelector.Matches(selector, serviceLabels), "the ServiceMonitor does not select spotalis-metrics");
        Assert.False(LabelSelector.Matches(selector, Manifests.Single(manifests, "Service", "spotalis-webhook")["metadata"]!["labels"]!.AsObject()
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())), "the ServiceMonitor would also scrape the webhook Service");
        Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => p!["name"]!.GetValue<string>() == endpoint["port"]!.GetValue<string>());
        Assert.Equal("/metrics", endpoint["path"]!.GetValue<string>());
        Assert.Equal("prom", monitor["metadata"]!["labels"]!["release"]!.GetValue<string>());
    }

    [Fact]
    public void Optional_objects_are_off_by_default()
    {
        var kinds = Render(null).Select(m => m["kind"]!.GetValue<string>()).ToHashSet();

        Assert.DoesNotContain("ServiceMonitor", kinds);
        Assert.DoesNotContain("Certificate", kinds);
        Assert.DoesNotContain("Issuer", kinds);
        Assert.Contains("PodDisruptionBudget", kinds);
    }

    [Fact]
    public void Cert_manager_mode_with_an_existing_cluster_issuer_renders_no_issuer()
    {
        var manifests = Render(new JsonObject
        {
            ["certificates"] = new JsonObject
            {
                ["mode"] = "certManager",
                ["certManager"] = new JsonObject { ["issuerName"] = "corp-ca", ["issuerKind"] = "ClusterIssuer" },
            },
        });
        var issuerRef = Manifests.Single(manifests, "Certificate", "spotalis-webhook")["spec"]!["issuerRef"]!;

        Assert.DoesNotContain(manifests, m => m["kind"]!.GetValue<string>() == "Issuer");
        Assert.Equal("corp-ca", issuerRef["name"]!.GetValue<string>());
        Assert.Equal("ClusterIssuer", issuerRef["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Disabling_the_webhook_removes_its_registration()
    {
        var manifests = Render(new JsonObject { ["config"] = new JsonObject { ["webhook"] = new JsonObject { ["enabled"] = false } } });

        Assert.DoesNotContain(manifests, m => m["kind"]!.GetValue<string>() == "MutatingWebhookConfiguration");
    }

    [Fact]
    public void Metrics_tls_mounts_the_secret_where_the_operator_reads_it_and_the_service_monitor_scrapes_https()
    {
        var manifests = Render(new JsonObject
        {
            ["metricsTls"] = new JsonObject { ["enabled"] = true, ["secretName"] = "spotalis-metrics-tls" },
            ["serviceMonitor"] = new JsonObject { ["enabled"] = true },
        });
        var configYaml = Manifests.Single(manifests, "ConfigMap", "spotalis-config")["data"]!["config.yaml"]!.GetValue<string>();
        var loaded = Spotalis.Operator.Configuration.ConfigurationLoader.Parse(configYaml, new Dictionary<string, string>());
        var pod = Manifests.Single(manifests, "Deployment", "spotalis")["spec"]!["template"]!["spec"]!;
        var volume = Assert.Single(pod["volumes"]!.AsArray(), v => v!["secret"]?["secretName"]?.GetValue<string>() == "spotalis-metrics-tls")!;
        var mount = Assert.Single(pod["containers"]![0]!["volumeMounts"]!.AsArray(), m => m!["name"]!.GetValue<string>() == volume["name"]!.GetValue<string>())!;
        var endpoint = Assert.Single(Manifests.Single(manifests, "ServiceMonitor", "spotalis")["spec"]!["endpoints"]!.AsArray())!;

        Assert.Equal(mount["mountPath"]!.GetValue<string>(), loaded.Metrics.CertDir);
        Assert.NotEqual(loaded.Metrics.Address, loaded.Health.Address);
        Assert.Equal("https", endpoint["scheme"]!.GetValue<string>());
        Assert.Equal("spotalis-metrics.spotalis-system.svc", endpoint["tlsConfig"]!["serverName"]!.GetValue<string>());
        Assert.Equal("spotalis-metrics-tls", endpoint["tlsConfig"]!["ca"]!["secret"]!["name"]!.GetValue<string>());
        Assert.Equal("ca.crt", endpoint["tlsConfig"]!["ca"]!["secret"]!["key"]!.GetValue<string>());
    }

    [Fact]
    public void Metrics_stay_plain_http_by_default()
    {
        var manifests = Render(new JsonObject { ["serviceMonitor"] = new JsonObject { ["enabled"] = true } });
        var configYaml = Manifests.Single(manifests, "ConfigMap", "spotalis-config")["data"]!["config.yaml"]!.GetValue<string>();
        var endpoint = Assert.Single(Manifests.Single(manifests, "ServiceMonitor", "spotalis")["spec"]!["endpoints"]!.AsArray())!;

        Assert.Equal("", Spotalis.Operator.Configuration.ConfigurationLoader.Parse(configYaml, new Dictionary<string, string>()).Metrics.CertDir);
        Assert.Null(endpoint["scheme"]);
        Assert.Null(endpoint["tlsConfig"]);
    }

    [Fact]
    public void Another_release_namespace_moves_every_namespaced_reference()
    {
        var manifests = Render(null, "platform");
        var config = YamlValues.ParseOne(Manifests.Single(manifests, "ConfigMap", "spotalis-config")["data"]!["config.yaml"]!.GetValue<string>())!;

        Assert.All(manifests.Where(m => m["metadata"]!["namespace"] is not null), m => Assert.Equal("platform", m["metadata"]!["namespace"]!.GetValue<string>()));
        Assert.Equal("platform", config["leaderElection"]!["leaseNamespace"]!.GetValue<string>());
        Assert.Equal("platform", config["webhook"]!["selfManaged"]!["serviceNamespace"]!.GetValue<string>());
        Assert.Equal("platform", Manifests.Single(manifests, "MutatingWebhookConfiguration", "spotalis")["webhooks"]![0]!["clientConfig"]!["service"]!["namespace"]!.GetValue<string>());
        Assert.Equal("platform", Manifests.Single(manifests, "ClusterRoleBinding", "spotalis")["subjects"]![0]!["namespace"]!.GetValue<string>());
    }

    private static IReadOnlyList<JsonObject> Render(JsonObject? overrides, string releaseNamespace = "spotalis-system") =>
        new ChartRenderer(RepoPaths.Chart, "spotalis", releaseNamespace, overrides).RenderManifests();
}
