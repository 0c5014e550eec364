using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>certificates.mode=certManager in the chart and the cert-manager kustomize component (used by the
/// example overlay) must hand the certificate to cert-manager the same way and drop the permissions the
/// operator no longer needs.</summary>
public sealed class CertManagerModeTests
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> Chart = new(() =>
        new ChartRenderer(RepoPaths.Chart, "spotalis", "spotalis-system",
            new JsonObject { ["certificates"] = new JsonObject { ["mode"] = "certManager" } }).RenderManifests());

    private static readonly Lazy<IReadOnlyList<JsonObject>> Overlay = new(() => Manifests.Kustomize(RepoPaths.KustomizeExampleOverlay));

    [Theory]
    [InlineData("ClusterRole", "spotalis")]
    [InlineData("Role", "spotalis")]
    [InlineData("MutatingWebhookConfiguration", "spotalis")]
    [InlineData("Issuer", "spotalis-selfsigned")]
    [InlineData("Certificate", "spotalis-webhook")]
    public void Object_is_identical_in_chart_and_cert_manager_component(string kind, string name)
    {
        var fromChart = Manifests.WithoutInstallLabels(Manifests.Single(Chart.Value, kind, name));
        var fromOverlay = Manifests.WithoutInstallLabels(Manifests.Single(Overlay.Value, kind, name));

        Assert.True(JsonNode.DeepEquals(fromChart, fromOverlay),
            $"{kind}/{name} differs.\nchart:     {fromChart.ToJsonString()}\nkustomize: {fromOverlay.ToJsonString()}");
    }

    [Fact]
    public void Operator_no_longer_may_write_secrets_or_its_webhook_configuration()
    {
        var rules = Rbac.Rules(Chart.Value).ToList();

        Assert.DoesNotContain(rules, r => r.Resource == "secrets");
        Assert.DoesNotContain(rules, r => r.Resource == "mutatingwebhookconfigurations");
    }

    [Fact]
    public void Webhook_ca_is_injected_from_the_certificate_that_covers_the_service_name()
    {
        var webhook = Manifests.Single(Chart.Value, "MutatingWebhookConfiguration", "spotalis");
        var certificate = Manifests.Single(Chart.Value, "Certificate", "spotalis-webhook");
        var service = webhook["webhooks"]![0]!["clientConfig"]!["service"]!;

        Assert.Equal("spotalis-system/spotalis-webhook", webhook["metadata"]!["annotations"]!["cert-manager.io/inject-ca-from"]!.GetValue<string>());
        Assert.Contains($"{service["name"]}.{service["namespace"]}.svc",
            certificate["spec"]!["dnsNames"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Operator_reads_the_issued_certificate_from_the_directory_where_it_is_mounted()
    {
        AssertCertDirIsMountedSecret(Chart.Value, CertDirFromConfig(Chart.Value));
        var env = Manifests.Single(Overlay.Value, "Deployment", "spotalis")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        var overlayCertDir = env.Single(e => e!["name"]!.GetValue<string>() == "SPOTALIS_WEBHOOK_CERT_DIR")!["value"]!.GetValue<string>();
        AssertCertDirIsMountedSecret(Overlay.Value, overlayCertDir);
    }

    private static string CertDirFromConfig(IReadOnlyList<JsonObject> manifests)
    {
        var config = YamlValues.ParseOne(Manifests.Single(manifests, "ConfigMap", "spotalis-config")["data"]!["config.yaml"]!.GetValue<string>());
        return config!["webhook"]!["certDir"]!.GetValue<string>();
    }

    private static void AssertCertDirIsMountedSecret(IReadOnlyList<JsonObject> manifests, string certDir)
    {
        var pod = Manifests.Single(manifests, "Deployment", "spotalis")["spec"]!["template"]!["spec"]!;
        var mount = pod["containers"]![0]!["volumeMounts"]!.AsArray().Single(m => m!["mountPath"]!.GetValue<string>() == certDir)!;
        var volume = pod["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == mount["name"]!.GetValue<string>())!;
        var certificate = Manifests.Single(manifests, "Certificate", "spotalis-webhook");

        Assert.Equal(certificate["spec"]!["secretName"]!.GetValue<string>(), volume["secret"]!["secretName"]!.GetValue<string>());
    }
}
