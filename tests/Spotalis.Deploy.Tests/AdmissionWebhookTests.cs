using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>The webhook registration must never block a pod and must send each opted-in pod exactly once.</summary>
public sealed class AdmissionWebhookTests
{
    public static TheoryData<string> Sources => new() { "chart", "kustomize" };

    [Theory]
    [MemberData(nameof(Sources))]
    public void Every_webhook_fails_open_quickly_and_only_sees_pod_creation(string source)
    {
        var webhooks = Webhooks(Render(source));

        Assert.Equal(["namespaces.spotalis.io", "pods.spotalis.io"], webhooks.Select(w => w["name"]!.GetValue<string>()));
        foreach (var webhook in webhooks)
        {
            Assert.Equal("Ignore", webhook["failurePolicy"]!.GetValue<string>());
            Assert.Equal(2, webhook["timeoutSeconds"]!.GetValue<long>());
            Assert.Equal("None", webhook["sideEffects"]!.GetValue<string>());
            Assert.Equal("IfNeeded", webhook["reinvocationPolicy"]!.GetValue<string>());
            Assert.Equal(["v1"], webhook["admissionReviewVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
            var rule = Assert.Single(webhook["rules"]!.AsArray())!;
            Assert.Equal(["CREATE"], rule["operations"]!.AsArray().Select(v => v!.GetValue<string>()));
            Assert.Equal(["pods"], rule["resources"]!.AsArray().Select(v => v!.GetValue<string>()));
            Assert.Equal([""], rule["apiGroups"]!.AsArray().Select(v => v!.GetValue<string>()));
            Assert.Equal("/mutate-v1-pod", webhook["clientConfig"]!["service"]!["path"]!.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Webhook_service_reaches_the_container_webhook_port(string source)
    {
        var manifests = Render(source);
        var target = Webhooks(manifests)[0]["clientConfig"]!["service"]!;
        var service = Manifests.Single(manifests, "Service", target["name"]!.GetValue<string>());
        var servicePort = service["spec"]!["ports"]!.AsArray().Single(p => p!["port"]!.GetValue<long>() == target["port"]!.GetValue<long>())!;
        var container = Manifests.Single(manifests, "Deployment", "spotalis")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var containerPort = container["ports"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == servicePort["targetPort"]!.GetValue<string>())!;
        var config = YamlValues.ParseOne(Manifests.Single(manifests, "ConfigMap", "spotalis-config")["data"]!["config.yaml"]!.GetValue<string>())!;

        Assert.Equal("spotalis-system", target["namespace"]!.GetValue<string>());
        Assert.Equal(9443, containerPort["containerPort"]!.GetValue<long>());
        Assert.Equal(9443, config["webhook"]!["port"]!.GetValue<long>());
        Assert.Equal(service["metadata"]!["name"]!.GetValue<string>(), config["webhook"]!["selfManaged"]!["serviceName"]!.GetValue<string>());
        Assert.Equal(Manifests.Single(manifests, "MutatingWebhookConfiguration", "spotalis")["metadata"]!["name"]!.GetValue<string>(),
            config["webhook"]!["selfManaged"]!["configurationName"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("shop", "true", null, 1)]
    [InlineData("shop", "true", "true", 1)]
    [InlineData("shop", "true", "false", 0)]
    [InlineData("shop", null, "true", 1)]
    [InlineData("shop", null, null, 0)]
    [InlineData("shop", "false", "true", 1)]
    [InlineData("shop", "false", null, 0)]
    [InlineData("spotalis-system", null, null, 0)]
    public void Pod_is_sent_to_the_webhook_once_when_opted_in_and_never_otherwise(string ns, string? namespaceLabel, string? podLabel, int expectedCalls)
    {
        var namespaceLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns };
        if (namespaceLabel is not null)
        {
            namespaceLabels["spotalis.io/enabled"] = namespaceLabel;
        }

        var podLabels = new Dictionary<string, string> { ["app"] = "api" };
        if (podLabel is not null)
        {
            podLabels["spotalis.io/enabled"] = podLabel;
        }

        foreach (var source in new[] { "chart", "kustomize" })
        {
            var calls = Webhooks(Render(source)).Count(w =>
                LabelSelector.Matches(w["namespaceSelector"], namespaceLabels) && LabelSelector.Matches(w["objectSelector"], podLabels));
            Assert.True(expectedCalls == calls, $"{source}: namespace {ns} ({namespaceLabel}), pod ({podLabel}) -> {calls} calls, expected {expectedCalls}");
        }
    }

    private static List<JsonNode> Webhooks(IReadOnlyList<JsonObject> manifests) =>
        Manifests.Single(manifests, "MutatingWebhookConfiguration", "spotalis")["webhooks"]!.AsArray().Select(w => w!).ToList();

    private static IReadOnlyList<JsonObject> Render(string source) => source == "chart"
        ? new ChartRenderer(RepoPaths.Chart, "spotalis", "spotalis-system").RenderManifests()
        : Manifests.Kustomize(RepoPaths.KustomizeBase);
}
