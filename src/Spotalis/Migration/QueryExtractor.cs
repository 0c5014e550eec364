using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Migration;

/// <summary>Finds PromQL in Grafana dashboards (JSON, <c>expr</c>) and Prometheus rule files (YAML, <c>expr</c>).</summary>
public static class QueryExtractor
{
    public static IReadOnlyList<string> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<string>();
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                Walk(document.RootElement, found);
                return found;
            }
            catch (JsonException)
            {
                // Not JSON after all: try YAML.
            }
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            foreach (var document in stream.Documents)
            {
                Walk(document.RootNode, found);
            }
        }
        catch (YamlException)
        {
            // Neither JSON nor YAML: nothing to rewrite.
        }

        return found;
    }

    private static void Walk(JsonElement element, List<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "expr" or "expression" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        found.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Walk(property.Value, found);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, found);
                }

                break;
        }
    }

    private static void Walk(YamlNode node, List<string> found)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: "expr" } && value is YamlScalarNode { Value: { } expression })
                    {
                        found.Add(expression);
                    }
                    else if (value is YamlScalarNode { Value: { } embedded } && embedded.Contains("spotalis_", StringComparison.Ordinal) && embedded.TrimStart().StartsWith('{'))
                    {
                        // A dashboard JSON embedded in a ConfigMap or rule YAML.
                        found.AddRange(Extract(embedded));
                    }
                    else
                    {
                        Walk(value, found);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    Walk(item, found);
                }

                break;
        }
    }
}
