using k8s.Models;

namespace Spotalis.Simulator.Cluster.Matching;

/// <summary>Evaluates metav1.LabelSelector (matchLabels and In/NotIn/Exists/DoesNotExist expressions).</summary>
internal static class LabelSelectorMatcher
{
    /// <summary>
    /// True when <paramref name="labels"/> satisfy the selector. A null selector matches nothing and an empty one
    /// matches everything, as in the workload APIs.
    /// </summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        if (selector.MatchLabels is not null)
        {
            foreach (var (key, value) in selector.MatchLabels)
            {
                if (labels is null || !labels.TryGetValue(key, out var actual) || actual != value)
                {
                    return false;
                }
            }
        }

        if (selector.MatchExpressions is not null)
        {
            foreach (var requirement in selector.MatchExpressions)
            {
                if (!Matches(requirement.Key, requirement.OperatorProperty, requirement.Values, labels))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Matches(string key, string op, IList<string>? values, IDictionary<string, string>? labels)
    {
        string? actual = null;
        var present = labels is not null && labels.TryGetValue(key, out actual);
        return op switch
        {
            "In" => present && values is not null && values.Contains(actual!),
            "NotIn" => !present || values is null || !values.Contains(actual!),
            "Exists" => present,
            "DoesNotExist" => !present,
            _ => false,
        };
    }
}
