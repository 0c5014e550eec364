using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>Kubernetes LabelSelector semantics (matchLabels AND matchExpressions), to evaluate webhook selectors.</summary>
internal static class LabelSelector
{
    public static bool Matches(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return true;
        }

        if (selector["matchLabels"] is JsonObject matchLabels &&
            matchLabels.Any(p => !labels.TryGetValue(p.Key, out var v) || v != p.Value!.GetValue<string>()))
        {
            return false;
        }

        var expressions = selector["matchExpressions"] as JsonArray ?? [];
        return expressions.All(e => Requirement(e!, labels));
    }

    private static bool Requirement(JsonNode expression, IReadOnlyDictionary<string, string> labels)
    {
        var key = expression["key"]!.GetValue<string>();
        var values = (expression["values"] as JsonArray ?? []).Select(v => v!.GetValue<string>()).ToHashSet();
        var present = labels.TryGetValue(key, out var value);
        return expression["operator"]!.GetValue<string>() switch
        {
            "In" => present && values.Contains(value!),
            "NotIn" => !present || !values.Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            var op => throw new NotSupportedException($"operator {op}"),
        };
    }
}
