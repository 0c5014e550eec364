using System.Text.Json;
using Spotalis.Core.Nodes;
using Spotalis.Operator.Webhook.Admission;

namespace Spotalis.Operator.Webhook.Placement;

/// <summary>
/// Finds when a pod's own <c>nodeSelector</c> or required node affinity already rules out a capacity type, so that the
/// webhook leaves the pod alone instead of adding a requirement that could never be met. Required node-affinity
/// terms are ORed: the pod is only contradicted when every term is.
/// </summary>
internal static class UserConstraintCheck
{
    /// <summary>Why <paramref name="steering"/> contradicts the pod's own constraints, or null when it does not.</summary>
    public static string? FindConflict(JsonElement spec, IReadOnlyList<LabelSelectorRequirement> steering)
    {
        if (spec.ValueKind != JsonValueKind.Object || steering.Count == 0)
        {
            return null;
        }

        if (spec.TryGetProperty("nodeSelector", out var nodeSelector) && nodeSelector.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in nodeSelector.EnumerateObject())
            {
                var value = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() ?? "" : "";
                for (var i = 0; i < steering.Count; i++)
                {
                    var requirement = steering[i];
                    if (requirement.Key == entry.Name && !SelectorValueSatisfies(requirement, value))
                    {
                        return $"the pod's nodeSelector {entry.Name}={value} contradicts {Describe(requirement)}";
                    }
                }
            }
        }

        var terms = PodAffinityPaths.RequiredTerms(spec);
        if (terms.ValueKind != JsonValueKind.Array || terms.GetArrayLength() == 0)
        {
            return null;
        }

        string? firstConflict = null;
        foreach (var term in terms.EnumerateArray())
        {
            var conflict = TermConflict(term, steering);
            if (conflict is null)
            {
                return null;
            }

            firstConflict ??= conflict;
        }

        return $"every required node-affinity term of the pod contradicts the placement ({firstConflict})";
    }

    private static string? TermConflict(JsonElement term, IReadOnlyList<LabelSelectorRequirement> steering)
    {
        if (term.ValueKind != JsonValueKind.Object ||
            !term.TryGetProperty("matchExpressions", out var expressions) ||
            expressions.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var expression in expressions.EnumerateArray())
        {
            var key = AdmissionReviewReader.GetString(expression, "key");
            var op = AdmissionReviewReader.GetString(expression, "operator");
            if (key is null || op is null)
            {
                continue;
            }

            for (var i = 0; i < steering.Count; i++)
            {
                var requirement = steering[i];
                if (requirement.Key == key && Contradicts(op, expression, requirement))
                {
                    return $"{key} {op} {ValuesText(expression)} contradicts {Describe(requirement)}";
                }
            }
        }

        return null;
    }

    private static bool SelectorValueSatisfies(LabelSelectorRequirement requirement, string value) => requirement.Operator switch
    {
        "In" => Contains(requirement.Values, value),
        "NotIn" => !Contains(requirement.Values, value),
        "Exists" => true,
        "DoesNotExist" => false,
        _ => true,
    };

    /// <summary>True when no node label value can satisfy both the user's expression and ours.</summary>
    private static bool Contradicts(string userOperator, JsonElement userExpression, LabelSelectorRequirement ours)
    {
        switch (userOperator)
        {
            case "In":
                return ours.Operator switch
                {
                    "In" => !AnyUserValue(userExpression, v => Contains(ours.Values, v)),
                    "NotIn" => !AnyUserValue(userExpression, v => !Contains(ours.Values, v)),
                    "DoesNotExist" => true,
                    _ => false,
                };
            case "NotIn":
                return ours.Operator == "In" && AllOursIn(userExpression, ours.Values);
            case "Exists":
                return ours.Operator == "DoesNotExist";
            case "DoesNotExist":
                return ours.Operator is "In" or "Exists";
            default:
                return false;
        }
    }

    private static bool AnyUserValue(JsonElement expression, Func<string, bool> predicate)
    {
        if (!expression.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var value in values.EnumerateArray())
        {
            if (value.ValueKind == JsonValueKind.String && predicate(value.GetString() ?? ""))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllOursIn(JsonElement expression, IReadOnlyList<string> ours)
    {
        for (var i = 0; i < ours.Count; i++)
        {
            var value = ours[i];
            if (!AnyUserValue(expression, v => v == value))
            {
                return false;
            }
        }

        return ours.Count > 0;
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
            {
                return true;
            }
        }

        return false;
    }

    private static string ValuesText(JsonElement expression) =>
        expression.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array
            ? values.GetRawText()
            : "[]";

    internal static string Describe(LabelSelectorRequirement requirement) =>
        requirement.Values.Count == 0
            ? $"{requirement.Key} {requirement.Operator}"
            : $"{requirement.Key} {requirement.Operator} [{string.Join(",", requirement.Values)}]";
}
