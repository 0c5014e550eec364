using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>Flattens a configuration tree into dotted keys (<c>leaderElection.leaseName</c>) with their JSON value.</summary>
internal static class ConfigKeys
{
    public static SortedDictionary<string, string> Flatten(JsonNode? node)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Visit(node, string.Empty, result);
        return result;
    }

    private static void Visit(JsonNode? node, string prefix, SortedDictionary<string, string> result)
    {
        if (node is JsonObject obj && obj.Count > 0)
        {
            foreach (var (key, child) in obj)
            {
                Visit(child, prefix.Length == 0 ? key : $"{prefix}.{key}", result);
            }
        }
        else
        {
            result[prefix] = node?.ToJsonString() ?? "null";
        }
    }
}
