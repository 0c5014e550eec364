namespace Spotalis.Core.Nodes;

/// <summary>
/// A label selector: every <see cref="MatchLabels"/> entry and every <see cref="MatchExpressions"/> requirement must hold.
/// Unlike a Kubernetes label selector, an empty term matches nothing, so that a missing custom selector can never
/// classify every node as spot.
/// </summary>
public sealed record NodeSelectorTerm(IReadOnlyDictionary<string, string> MatchLabels, IReadOnlyList<LabelSelectorRequirement> MatchExpressions)
{
    public static NodeSelectorTerm Of(params LabelSelectorRequirement[] requirements) =>
        new(new Dictionary<string, string>(), requirements);

    public static NodeSelectorTerm WithLabel(string key, string value) =>
        new(new Dictionary<string, string> { [key] = value }, []);

    public bool IsEmpty => MatchLabels.Count == 0 && MatchExpressions.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        if (IsEmpty)
        {
            return false;
        }

        foreach (var (key, value) in MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return MatchExpressions.All(requirement => requirement.Matches(labels));
    }

    /// <summary>The term as node-affinity requirements: match labels become <c>In</c> requirements.</summary>
    public IReadOnlyList<LabelSelectorRequirement> ToRequirements() =>
        [.. MatchLabels.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => LabelSelectorRequirement.KeyIn(pair.Key, pair.Value)), .. MatchExpressions];

    public override string ToString() => string.Join(", ", ToRequirements().Select(requirement =>
        requirement.Operator == LabelSelectorRequirement.In && requirement.Values.Count == 1
            ? $"{requirement.Key}={requirement.Values[0]}"
            : requirement.ToString()));
}
