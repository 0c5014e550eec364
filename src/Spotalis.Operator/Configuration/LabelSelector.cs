namespace Spotalis.Operator.Configuration;

/// <summary>
/// A Kubernetes label selector in its text form (<c>a=b,c!=d,e in (x,y),f notin (z),g,!h</c>), used for
/// <c>namespaceSelector</c>. Requirements are ANDed; an empty selector matches everything.
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public static bool TryParse(string? text, out LabelSelector selector, out string? error)
    {
        selector = Everything;
        error = null;
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text ?? ""))
        {
            var clause = part.Trim();
            if (clause.Length == 0)
            {
                continue;
            }

            if (!TryParseClause(clause, out var requirement))
            {
                error = $"'{clause}' is not a label selector requirement (use key=value, key!=value, key in (a,b), key notin (a,b), key or !key)";
                return false;
            }

            requirements.Add(requirement);
        }

        selector = new LabelSelector(requirements);
        return true;
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var requirement in _requirements)
        {
            var has = labels is not null && labels.TryGetValue(requirement.Key, out _);
            var value = has ? labels![requirement.Key] : null;
            var ok = requirement.Operator switch
            {
                SelectorOperator.In => has && requirement.Values.Contains(value!),
                SelectorOperator.NotIn => !has || !requirement.Values.Contains(value!),
                SelectorOperator.Exists => has,
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseClause(string clause, out Requirement requirement)
    {
        requirement = default;
        if (clause.StartsWith('!'))
        {
            var key = clause[1..].Trim();
            requirement = new Requirement(key, SelectorOperator.DoesNotExist, []);
            return IsKey(key);
        }

        var notEqual = clause.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            return Make(clause[..notEqual], SelectorOperator.NotIn, [clause[(notEqual + 2)..]], out requirement);
        }

        var equal = clause.IndexOf('=', StringComparison.Ordinal);
        if (equal > 0)
        {
            var valueStart = clause.Length > equal + 1 && clause[equal + 1] == '=' ? equal + 2 : equal + 1;
            return Make(clause[..equal], SelectorOperator.In, [clause[valueStart..]], out requirement);
        }

        var open = clause.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && clause.EndsWith(')'))
        {
            var head = clause[..open].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (head.Length != 2)
            {
                return false;
            }

            var values = clause[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var op = head[1].ToLowerInvariant() switch
            {
                "in" => SelectorOperator.In,
                "notin" => SelectorOperator.NotIn,
                _ => (SelectorOperator?)null,
            };
            return op is not null && values.Length > 0 && Make(head[0], op.Value, values, out requirement);
        }

        requirement = new Requirement(clause, SelectorOperator.Exists, []);
        return IsKey(clause);
    }

    private static bool Make(string key, SelectorOperator op, IReadOnlyList<string> values, out Requirement requirement)
    {
        var trimmedValues = values.Select(v => v.Trim()).ToArray();
        requirement = new Requirement(key.Trim(), op, trimmedValues);
        return IsKey(requirement.Key) && trimmedValues.All(IsValue);
    }

    private static bool IsKey(string key) =>
        key.Length > 0 && key.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or '/');

    private static bool IsValue(string value) =>
        value.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.');

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private enum SelectorOperator
    {
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private readonly record struct Requirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values);
}
