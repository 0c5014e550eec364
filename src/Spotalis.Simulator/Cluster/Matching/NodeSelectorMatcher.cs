using System.Globalization;
using k8s.Models;

namespace Spotalis.Simulator.Cluster.Matching;

/// <summary>Node-side matching: nodeSelector, node affinity terms (required and preferred).</summary>
internal static class NodeSelectorMatcher
{
    /// <summary>nodeSelector and the required node affinity of <paramref name="spec"/> both hold on the node.</summary>
    public static bool MatchesRequired(V1PodSpec spec, V1Node node)
    {
        var labels = node.Metadata.Labels;
        if (spec.NodeSelector is not null)
        {
            foreach (var (key, value) in spec.NodeSelector)
            {
                if (labels is null || !labels.TryGetValue(key, out var actual) || actual != value)
                {
                    return false;
                }
            }
        }

        var required = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (required is null)
        {
            return true;
        }

        // Terms are ORed; an empty or null term matches no node.
        return required.NodeSelectorTerms is not null && required.NodeSelectorTerms.Any(term => MatchesTerm(term, node));
    }

    /// <summary>Sum of the weights of the preferred node affinity terms the node satisfies.</summary>
    public static int PreferredWeight(V1PodSpec spec, V1Node node)
    {
        var preferred = spec.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution;
        if (preferred is null)
        {
            return 0;
        }

        var sum = 0;
        foreach (var term in preferred)
        {
            if (term.Weight > 0 && term.Preference is not null && MatchesTerm(term.Preference, node))
            {
                sum += term.Weight;
            }
        }

        return sum;
    }

    public static bool MatchesTerm(V1NodeSelectorTerm term, V1Node node)
    {
        var expressions = term.MatchExpressions;
        var fields = term.MatchFields;
        if ((expressions is null || expressions.Count == 0) && (fields is null || fields.Count == 0))
        {
            return false;
        }

        if (expressions is not null)
        {
            foreach (var requirement in expressions)
            {
                if (!MatchesRequirement(requirement, node.Metadata.Labels))
                {
                    return false;
                }
            }
        }

        if (fields is not null)
        {
            var nodeFields = new Dictionary<string, string>(StringComparer.Ordinal) { ["metadata.name"] = node.Metadata.Name };
            foreach (var requirement in fields)
            {
                if (!MatchesRequirement(requirement, nodeFields))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool MatchesRequirement(V1NodeSelectorRequirement requirement, IDictionary<string, string>? labels)
    {
        string? actual = null;
        var present = labels is not null && labels.TryGetValue(requirement.Key, out actual);
        var values = requirement.Values;
        return requirement.OperatorProperty switch
        {
            "In" => present && values is not null && values.Contains(actual!),
            "NotIn" => !present || values is null || !values.Contains(actual!),
            "Exists" => present,
            "DoesNotExist" => !present,
            "Gt" => present && CompareInteger(actual!, values) > 0,
            "Lt" => present && CompareInteger(actual!, values) < 0,
            _ => false,
        };
    }

    // Gt/Lt compare the label as an integer with the single value; anything unparsable does not match (0 == no match).
    private static int CompareInteger(string actual, IList<string>? values)
    {
        if (values is null || values.Count != 1
            || !long.TryParse(actual, NumberStyles.Integer, CultureInfo.InvariantCulture, out var left)
            || !long.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var right)
            || left == right)
        {
            return 0;
        }

        return left > right ? 1 : -1;
    }
}
