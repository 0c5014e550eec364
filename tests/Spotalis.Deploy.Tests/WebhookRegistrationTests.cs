using System.Text.Json.Nodes;
using k8s;
using Spotalis.Operator.Webhook;

namespace Spotalis.Deploy.Tests;

/// <summary>
/// With self-managed certificates the operator rewrites its MutatingWebhookConfiguration to what
/// <see cref="MutatingWebhookConfigurationFactory"/> builds (plus the CA). The shipped manifests must already say
/// exactly that, or the operator and a GitOps tool would keep overwriting each other.
/// </summary>
public sealed class WebhookRegistrationTests
{
    public static TheoryData<string> Sources => new() { "chart", "kustomize" };

    [Theory]
    [MemberData(nameof(Sources))]
    public void Shipped_webhooks_equal_what_the_operator_writes(string source)
    {
        var manifests = source == "chart"
            ? new ChartRenderer(RepoPaths.Chart, "spotalis", "spotalis-system").RenderManifests()
            : Manifests.Kustomize(RepoPaths.KustomizeBase);
        var shipped = Manifests.Single(manifests, "MutatingWebhookConfiguration", "spotalis")["webhooks"]!;
        var written = MutatingWebhookConfigurationFactory.ForService("spotalis", "spotalis-webhook", "spotalis-system", caBundlePem: "");
        var expected = JsonNode.Parse(KubernetesJson.Serialize(written.Webhooks))!;
        foreach (var webhook in expected.AsArray())
        {
            webhook!["clientConfig"]!.AsObject().Remove("caBundle");
        }

        Assert.True(JsonNode.DeepEquals(expected, shipped), $"{source} webhooks differ from the operator's.\noperator: {expected.ToJsonString()}\n{source}: {shipped.ToJsonString()}");
    }
}
