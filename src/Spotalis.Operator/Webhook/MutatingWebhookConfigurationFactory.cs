using System.Text;
using Spotalis.Core.Capacity;
using k8s.Models;

namespace Spotalis.Operator.Webhook;

/// <summary>
/// Builds Spotalis's MutatingWebhookConfiguration: pod CREATE only, <c>failurePolicy: Ignore</c> (never block a pod),
/// <c>timeoutSeconds: 2</c>, <c>sideEffects: None</c>, <c>reinvocationPolicy: IfNeeded</c>, AdmissionReview v1, and
/// selectors so that only opted-in pods are sent.
/// </summary>
public static class MutatingWebhookConfigurationFactory
{
    public const string Path = "/mutate-v1-pod";
    public const string NamespaceWebhookName = "namespaces.spotalis.io";
    public const string PodWebhookName = "pods.spotalis.io";
    public const string AllPodsWebhookName = "all-pods.spotalis.io";
    public const int TimeoutSeconds = 2;

    /// <summary>The configuration pointing at the webhook's Service (in-cluster, self-managed mode).</summary>
    public static V1MutatingWebhookConfiguration ForService(
        string configurationName,
        string serviceName,
        string serviceNamespace,
        string caBundlePem,
        int servicePort = 443,
        WebhookPodSelection selection = WebhookPodSelection.OptedIn) =>
        Build(
            configurationName,
            () => new Admissionregistrationv1WebhookClientConfig
            {
                Service = new Admissionregistrationv1ServiceReference
                {
                    Name = serviceName,
                    NamespaceProperty = serviceNamespace,
                    Path = Path,
                    Port = servicePort,
                },
                CaBundle = Encoding.UTF8.GetBytes(caBundlePem),
            },
            selection,
            serviceNamespace);

    /// <summary>The configuration pointing at a URL (a webhook outside the cluster, e.g. <c>https://127.0.0.1:9443/mutate-v1-pod</c>).</summary>
    public static V1MutatingWebhookConfiguration ForUrl(
        string configurationName,
        Uri url,
        string caBundlePem,
        WebhookPodSelection selection = WebhookPodSelection.OptedIn,
        string? operatorNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"webhook URL must use https, got {url}", nameof(url));
        }

        return Build(
            configurationName,
            () => new Admissionregistrationv1WebhookClientConfig
            {
                Url = url.ToString(),
                CaBundle = Encoding.UTF8.GetBytes(caBundlePem),
            },
            selection,
            operatorNamespace);
    }

    private static V1MutatingWebhookConfiguration Build(
        string configurationName,
        Func<Admissionregistrationv1WebhookClientConfig> clientConfig,
        WebhookPodSelection selection,
        string? operatorNamespace)
    {
        var webhooks = selection == WebhookPodSelection.AllPods
            ? new List<V1MutatingWebhook>
            {
                Webhook(AllPodsWebhookName, clientConfig(), Selector(
                    "kubernetes.io/metadata.name",
                    "NotIn",
                    operatorNamespace is { Length: > 0 } ? ["kube-system", operatorNamespace] : ["kube-system"]), null),
            }
            : new List<V1MutatingWebhook>
            {
                // Pods inherit their template's labels, not the workload's: an opted-in namespace sends every pod
                // (the webhook then reads the workload's own opt-out from the cache) ...
                Webhook(
                    NamespaceWebhookName,
                    clientConfig(),
                    Selector(SpotalisKeys.Enabled, "In", ["true"]),
                    Selector(SpotalisKeys.Enabled, "NotIn", ["false"])),

                // ... elsewhere only pods whose template carries the opt-in label are sent.
                Webhook(
                    PodWebhookName,
                    clientConfig(),
                    Selector(SpotalisKeys.Enabled, "NotIn", ["true"]),
                    Selector(SpotalisKeys.Enabled, "In", ["true"])),
            };

        return new V1MutatingWebhookConfiguration
        {
            ApiVersion = "admissionregistration.k8s.io/v1",
            Kind = "MutatingWebhookConfiguration",
            Metadata = new V1ObjectMeta
            {
                Name = configurationName,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "spotalis" },
            },
            Webhooks = webhooks,
        };
    }

    private static V1MutatingWebhook Webhook(
        string name,
        Admissionregistrationv1WebhookClientConfig clientConfig,
        V1LabelSelector namespaceSelector,
        V1LabelSelector? objectSelector) => new()
    {
        Name = name,
        AdmissionReviewVersions = ["v1"],
        ClientConfig = clientConfig,
        FailurePolicy = "Ignore",
        MatchPolicy = "Equivalent",
        SideEffects = "None",
        TimeoutSeconds = TimeoutSeconds,
        ReinvocationPolicy = "IfNeeded",
        NamespaceSelector = namespaceSelector,
        ObjectSelector = objectSelector ?? new V1LabelSelector(),
        Rules =
        [
            new V1RuleWithOperations
            {
                ApiGroups = [""],
                ApiVersions = ["v1"],
                Operations = ["CREATE"],
                Resources = ["pods"],
                Scope = "Namespaced",
            },
        ],
    };

    private static V1LabelSelector Selector(string key, string op, IList<string> values) => new()
    {
        MatchExpressions = [new V1LabelSelectorRequirement { Key = key, OperatorProperty = op, Values = values }],
    };
}
