using System.Net;
using System.Text.Json;
using Spotalis.Core.Capacity;
using Spotalis.Core.Policy;
using Spotalis.Core.Split;
using Spotalis.Core.Workloads;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Spotalis.Migration;

/// <summary>
/// Reads a cluster the Go Spotalis ran in and lists what changes when this project takes over: workloads whose
/// management changes, pinned capacity types, Go's leftovers on StatefulSets, Go's webhook configuration and
/// dashboards or alerts that query Go metric names. Reads only.
/// </summary>
public static class ClusterScanner
{
    private const string CapacityTypeKey = "karpenter.sh/capacity-type";

    private static readonly string[] GoStatefulSetAnnotations =
        ["spotalis.io/rebalance-timestamp", "spotalis.io/desired-spot-replicas", "spotalis.io/desired-ondemand-replicas"];

    private static readonly string[] GoTolerationKeys = ["spot", "aws.amazon.com/spot"];

    public static async Task<IReadOnlyList<MigrationItem>> ScanAsync(IKubernetes client, string ownWebhookConfiguration, List<string> notes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var items = new List<MigrationItem>();
        var namespaces = (await client.CoreV1.ListNamespaceAsync(cancellationToken: cancellationToken)).Items
            .ToDictionary(n => n.Metadata.Name, n => (IReadOnlyDictionary<string, string>)(n.Metadata.Labels ?? new Dictionary<string, string>()), StringComparer.Ordinal);
        var deployments = (await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: cancellationToken)).Items;
        var statefulSets = (await client.AppsV1.ListStatefulSetForAllNamespacesAsync(cancellationToken: cancellationToken)).Items;

        foreach (var workload in deployments.Select(d => Workload.From(d)).Concat(statefulSets.Select(s => Workload.From(s)))
                     .OrderBy(w => w.Namespace, StringComparer.Ordinal).ThenBy(w => w.Kind, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal))
        {
            items.AddRange(Management(workload, namespaces.GetValueOrDefault(workload.Namespace) ?? new Dictionary<string, string>()));
        }

        foreach (var statefulSet in statefulSets.OrderBy(s => s.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            if (GoLeftovers(statefulSet) is { } leftovers)
            {
                items.Add(leftovers);
            }
        }

        var webhooks = (await client.AdmissionregistrationV1.ListMutatingWebhookConfigurationAsync(cancellationToken: cancellationToken)).Items;
        items.AddRange(webhooks.Where(w => IsGoWebhook(w, ownWebhookConfiguration)).OrderBy(w => w.Metadata.Name, StringComparer.Ordinal).Select(GoWebhookItem));

        items.AddRange(await DashboardsAsync(client, notes, cancellationToken));
        return items;
    }

    /// <summary>Workloads whose management changes: Go read only the workload's label and skipped some namespaces.</summary>
    private static IEnumerable<MigrationItem> Management(Workload workload, IReadOnlyDictionary<string, string> namespaceLabels)
    {
        var policy = PolicyParser.Parse(workload.Labels, workload.Annotations, namespaceLabels);
        if (!policy.Policy.Enabled)
        {
            yield break;
        }

        var subject = $"{workload.Kind} {workload.Namespace}/{workload.Name}";
        var optOut = $"label {workload.Kind} {workload.Namespace}/{workload.Name} {SpotalisKeys.Enabled}=false (metadata only, no restart)";
        var workloadLabelled = workload.Labels.TryGetValue(SpotalisKeys.Enabled, out var value) && value == SpotalisKeys.True;
        var split = $"{policy.Policy.SpotPercentage}% spot, at least {policy.Policy.MinOnDemand} on-demand";
        if (GoNamespaces.NeverManagedByGo(workload.Namespace))
        {
            yield return new MigrationItem("namespace-never-managed-by-go", subject,
                $"opted in ({(workloadLabelled ? "workload label" : "namespace label")}) in namespace {workload.Namespace}, which the Go controller never managed (kube-*, default, openshift-*, istio-*)",
                $"Spotalis manages it: {split}, evicting pods to reach that split",
                $"keep Go's behaviour: {optOut}; or leave it to be managed as annotated",
                true, optOut)
            { Target = new MigrationTarget(workload.Kind, workload.Namespace, workload.Name) };
            yield break;
        }

        if (!workloadLabelled)
        {
            yield return new MigrationItem("opted-in-by-namespace", subject,
                $"no {SpotalisKeys.Enabled} label, but namespace {workload.Namespace} is labelled {SpotalisKeys.Enabled}=true; the Go controller read only the workload's label and left it alone",
                $"Spotalis manages every workload of a labelled namespace: {split}, evicting pods to reach that split",
                $"keep Go's behaviour: {optOut}; or label it true and annotate the share you want",
                true, optOut)
            { Target = new MigrationTarget(workload.Kind, workload.Namespace, workload.Name) };
            yield break;
        }

        if (workload.PinnedCapacityType is { } pinned)
        {
            var desired = SplitCalculator.Compute(workload.Replicas, policy.Policy.SpotPercentage, policy.Policy.MinOnDemand);
            var contradicts = pinned == "spot" ? desired.OnDemand > 0 : desired.Spot > 0;
            if (contradicts)
            {
                yield return new MigrationItem("pinned-capacity-type", subject,
                    $"its pod template pins nodeSelector {CapacityTypeKey}={pinned}; Go's webhook overwrote that pin on every new pod",
                    $"Spotalis keeps your pin, so pods stay on {pinned} and the split ({desired.Spot} spot / {desired.OnDemand} on-demand) cannot be reached: evictions would be in vain",
                    $"remove the nodeSelector from the pod template (a rollout) so that Spotalis places the pods, or {optOut}",
                    true, optOut)
                { Target = new MigrationTarget(workload.Kind, workload.Namespace, workload.Name) };
            }
        }
    }

    private static MigrationItem? GoLeftovers(V1StatefulSet statefulSet)
    {
        var template = statefulSet.Spec?.Template;
        var annotations = (template?.Metadata?.Annotations ?? new Dictionary<string, string>()).Keys.Where(k => GoStatefulSetAnnotations.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var tolerations = (template?.Spec?.Tolerations ?? []).Where(t => GoTolerationKeys.Contains(t.Key) && t.Effect == "NoSchedule").Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
        if (annotations.Count == 0 && tolerations.Count == 0)
        {
            return null;
        }

        var found = string.Join("; ", new[]
        {
            tolerations.Count > 0 ? $"tolerations {string.Join(", ", tolerations)} (NoSchedule)" : null,
            annotations.Count > 0 ? $"annotations {string.Join(", ", annotations)}" : null,
        }.OfType<string>());
        return new MigrationItem("go-statefulset-leftovers", $"StatefulSet {statefulSet.Metadata.NamespaceProperty}/{statefulSet.Metadata.Name}",
            $"the pod template carries what the Go operator wrote after an eviction: {found}",
            "nothing changes: Spotalis neither reads nor needs them (the tolerations only allow spot nodes; placement comes from the webhook)",
            "remove them from the pod template at your next planned rollout (removing them now restarts every pod of the StatefulSet)",
            false, null);
    }

    private static bool IsGoWebhook(V1MutatingWebhookConfiguration configuration, string ownName) =>
        configuration.Metadata.Name != ownName &&
        configuration.Metadata.Name.EndsWith("-mutating-webhook", StringComparison.Ordinal) &&
        (configuration.Webhooks ?? []).Any(w => w.Name.Contains("spotalis", StringComparison.OrdinalIgnoreCase) ||
                                                 (w.ClientConfig?.Service?.Path ?? "").StartsWith("/mutate", StringComparison.Ordinal));

    private static MigrationItem GoWebhookItem(V1MutatingWebhookConfiguration configuration)
    {
        var service = configuration.Webhooks?.FirstOrDefault()?.ClientConfig?.Service;
        var target = service is null ? "a URL" : $"Service {service.NamespaceProperty}/{service.Name}{service.Path}";
        var policies = string.Join(", ", (configuration.Webhooks ?? []).Select(w => w.FailurePolicy ?? "Fail").Distinct());
        return new MigrationItem("go-webhook-configuration", $"MutatingWebhookConfiguration {configuration.Metadata.Name}",
            $"the Go chart's webhook registration (a Helm hook, so helm uninstall left it) still sends pod creations to {target} (failurePolicy {policies})",
            "it keeps overwriting karpenter.sh/capacity-type on new pods while its Service answers, and delays or (failurePolicy Fail) blocks pod creation when it does not",
            "delete it",
            true, $"delete MutatingWebhookConfiguration {configuration.Metadata.Name}")
        { Target = new MigrationTarget("MutatingWebhookConfiguration", null, configuration.Metadata.Name) };
    }

    private static async Task<IEnumerable<MigrationItem>> DashboardsAsync(IKubernetes client, List<string> notes, CancellationToken cancellationToken)
    {
        var items = new List<MigrationItem>();
        try
        {
            foreach (var map in (await client.CoreV1.ListConfigMapForAllNamespacesAsync(cancellationToken: cancellationToken)).Items)
            {
                foreach (var (key, text) in map.Data ?? new Dictionary<string, string>())
                {
                    if (text.Contains("spotalis_", StringComparison.Ordinal))
                    {
                        items.AddRange(MetricItems($"ConfigMap {map.Metadata.NamespaceProperty}/{map.Metadata.Name} ({key})", text));
                    }
                }
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            notes.Add("cannot list ConfigMaps: dashboards stored in ConfigMaps were not checked");
        }

        try
        {
            var rules = await client.CustomObjects.ListClusterCustomObjectAsync("monitoring.coreos.com", "v1", "prometheusrules", cancellationToken: cancellationToken);
            var json = JsonSerializer.Serialize(rules);
            using var document = JsonDocument.Parse(json);
            foreach (var rule in document.RootElement.TryGetProperty("items", out var list) ? list.EnumerateArray() : default)
            {
                var name = rule.GetProperty("metadata").GetProperty("name").GetString();
                var ns = rule.GetProperty("metadata").TryGetProperty("namespace", out var n) ? n.GetString() : "";
                items.AddRange(MetricItems($"PrometheusRule {ns}/{name}", rule.GetRawText()));
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            // No Prometheus Operator (404) or no permission: nothing to check there.
        }

        return items;
    }

    /// <summary>One item per PromQL expression in <paramref name="text"/> that queries a Go metric name and needs a rewrite.</summary>
    public static IEnumerable<MigrationItem> MetricItems(string source, string text) =>
        QueryExtractor.Extract(text).Where(PromQlRewriter.UsesGoMetrics).Distinct(StringComparer.Ordinal)
            .Select(expression => PromQlRewriter.Rewrite(source, expression))
            .Where(rewrite => rewrite.Rewritten != rewrite.Original)
            .Select(rewrite => new MigrationItem("renamed-metric", source,
                $"queries Go metric names: {rewrite.Original}",
                "the query returns nothing: these series no longer exist",
                $"replace it with: {rewrite.Rewritten}{(rewrite.Exact ? "" : $" (approximate: {string.Join("; ", rewrite.Notes)})")}",
                true, null)
            { Rewrite = rewrite });

    /// <summary>What the scanner needs of a Deployment or StatefulSet.</summary>
    private sealed record Workload(string Kind, string Namespace, string Name, IReadOnlyDictionary<string, string> Labels,
        IReadOnlyDictionary<string, string> Annotations, int Replicas, string? PinnedCapacityType)
    {
        public static Workload From(V1Deployment d) => new(WorkloadKinds.Deployment, d.Metadata.NamespaceProperty, d.Metadata.Name,
            (IReadOnlyDictionary<string, string>?)d.Metadata.Labels ?? new Dictionary<string, string>(),
            (IReadOnlyDictionary<string, string>?)d.Metadata.Annotations ?? new Dictionary<string, string>(),
            d.Spec?.Replicas ?? 1, Pin(d.Spec?.Template?.Spec?.NodeSelector));

        private static string? Pin(IDictionary<string, string>? nodeSelector) =>
            nodeSelector is not null && nodeSelector.TryGetValue(CapacityTypeKey, out var value) ? value : null;

        public static Workload From(V1StatefulSet s) => new(WorkloadKinds.StatefulSet, s.Metadata.NamespaceProperty, s.Metadata.Name,
            (IReadOnlyDictionary<string, string>?)s.Metadata.Labels ?? new Dictionary<string, string>(),
            (IReadOnlyDictionary<string, string>?)s.Metadata.Annotations ?? new Dictionary<string, string>(),
            s.Spec?.Replicas ?? 1, Pin(s.Spec?.Template?.Spec?.NodeSelector));
    }
}
