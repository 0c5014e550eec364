using System.Net;
using System.Text.Json;
using Spotalis.Core.Nodes;
using k8s;
using k8s.Autorest;

namespace Spotalis.Operator.Hosting;

/// <summary>Reads what <see cref="PresetDetector"/> needs from the API server: node labels and Karpenter NodePools.</summary>
public static class ProviderDiscovery
{
    public static async Task<PresetDetection> DiscoverAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        var labels = nodes.Items.Select(n => (IReadOnlyDictionary<string, string>)(n.Metadata.Labels is { } l ? new Dictionary<string, string>(l) : [])).ToList();
        return PresetDetector.Detect(labels, await NodePoolsAsync(client, cancellationToken));
    }

    /// <summary>Karpenter's <c>karpenter.sh/v1</c> NodePools; none when Karpenter is not installed or they cannot be read.</summary>
    public static async Task<IReadOnlyList<NodePoolCapacity>> NodePoolsAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        object list;
        try
        {
            list = await client.CustomObjects.ListClusterCustomObjectAsync("karpenter.sh", "v1", "nodepools", cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return [];
        }

        // KubernetesClient reads custom objects as a JsonElement.
        if (list is not JsonElement json || json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var pools = new List<NodePoolCapacity>();
        foreach (var item in items.EnumerateArray())
        {
            var name = item.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            var requirements = new List<LabelSelectorRequirement>();
            if (item.TryGetProperty("spec", out var spec) && spec.TryGetProperty("template", out var template) &&
                template.TryGetProperty("spec", out var templateSpec) && templateSpec.TryGetProperty("requirements", out var reqs) &&
                reqs.ValueKind == JsonValueKind.Array)
            {
                foreach (var req in reqs.EnumerateArray())
                {
                    var key = req.TryGetProperty("key", out var k) ? k.GetString() ?? "" : "";
                    var op = req.TryGetProperty("operator", out var o) ? o.GetString() ?? "" : "";
                    var values = req.TryGetProperty("values", out var v) && v.ValueKind == JsonValueKind.Array
                        ? v.EnumerateArray().Select(x => x.GetString() ?? "").ToArray()
                        : [];
                    requirements.Add(new LabelSelectorRequirement(key, op, values));
                }
            }

            pools.Add(NodePoolCapacity.FromRequirements(name, requirements));
        }

        return pools;
    }
}
