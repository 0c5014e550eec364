using System.Text;
using Spotalis.Core.Capacity;
using Spotalis.Operator.Webhook;

namespace Spotalis.Operator.Tests.Webhook;

public sealed class MutatingWebhookConfigurationFactoryTests
{
    [Fact]
    public void Service_configuration_never_blocks_pods_and_only_sends_opted_in_ones()
    {
        var configuration = MutatingWebhookConfigurationFactory.ForService("spotalis", "spotalis-webhook", "spotalis-system", "CA-PEM");

        Assert.Equal("admissionregistration.k8s.io/v1", configuration.ApiVersion);
        Assert.Equal("spotalis", configuration.Metadata.Name);
        Assert.Equal(2, configuration.Webhooks.Count);
        foreach (var webhook in configuration.Webhooks)
        {
            Assert.EndsWith(".spotalis.io", webhook.Name, StringComparison.Ordinal);
            Assert.Equal("Ignore", webhook.FailurePolicy);
            Assert.Equal(2, webhook.TimeoutSeconds);
            Assert.Equal("None", webhook.SideEffects);
            Assert.Equal("IfNeeded", webhook.ReinvocationPolicy);
            Assert.Equal(["v1"], webhook.AdmissionReviewVersions);
            Assert.Equal("CA-PEM", Encoding.UTF8.GetString(webhook.ClientConfig.CaBundle));
            Assert.Equal("spotalis-webhook", webhook.ClientConfig.Service.Name);
            Assert.Equal("spotalis-system", webhook.ClientConfig.Service.NamespaceProperty);
            Assert.Equal("/mutate-v1-pod", webhook.ClientConfig.Service.Path);
            var rule = Assert.Single(webhook.Rules);
            Assert.Equal(["CREATE"], rule.Operations);
            Assert.Equal(["pods"], rule.Resources);
        }

        // Opted-in namespaces send every pod not opting out; elsewhere only pods labelled in their template.
        var byNamespace = configuration.Webhooks.Single(w => w.Name == MutatingWebhookConfigurationFactory.NamespaceWebhookName);
        Assert.Equal((SpotalisKeys.Enabled, "In", "true"), Single(byNamespace.NamespaceSelector));
        Assert.Equal((SpotalisKeys.Enabled, "NotIn", "false"), Single(byNamespace.ObjectSelector));
        var byPod = configuration.Webhooks.Single(w => w.Name == MutatingWebhookConfigurationFactory.PodWebhookName);
        Assert.Equal((SpotalisKeys.Enabled, "NotIn", "true"), Single(byPod.NamespaceSelector));
        Assert.Equal((SpotalisKeys.Enabled, "In", "true"), Single(byPod.ObjectSelector));
    }

    [Fact]
    public void Url_configuration_points_at_the_url_and_refuses_plain_http()
    {
        var configuration = MutatingWebhookConfigurationFactory.ForUrl("spotalis", new Uri("https://127.0.0.1:9443/mutate-v1-pod"), "CA");

        Assert.All(configuration.Webhooks, w => Assert.Equal("https://127.0.0.1:9443/mutate-v1-pod", w.ClientConfig.Url));
        Assert.All(configuration.Webhooks, w => Assert.Null(w.ClientConfig.Service));
        Assert.Throws<ArgumentException>(() => MutatingWebhookConfigurationFactory.ForUrl("spotalis", new Uri("http://127.0.0.1:9443/mutate-v1-pod"), "CA"));
    }

    [Fact]
    public void All_pods_selection_excludes_system_namespaces()
    {
        var configuration = MutatingWebhookConfigurationFactory.ForService("spotalis", "svc", "spotalis-system", "CA", selection: WebhookPodSelection.AllPods);

        var webhook = Assert.Single(configuration.Webhooks);
        var requirement = Assert.Single(webhook.NamespaceSelector.MatchExpressions);
        Assert.Equal("NotIn", requirement.OperatorProperty);
        Assert.Equal(["kube-system", "spotalis-system"], requirement.Values);
    }

    private static (string, string, string) Single(k8s.Models.V1LabelSelector selector)
    {
        var requirement = Assert.Single(selector.MatchExpressions);
        return (requirement.Key, requirement.OperatorProperty, Assert.Single(requirement.Values));
    }
}
