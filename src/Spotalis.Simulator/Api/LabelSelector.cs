using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>
/// A compiled label selector (equality- and set-based), from the query-string syntax
/// (<c>a=b,c!=d,e in (f,g),!h</c>) or from a <see cref="V1LabelSelector"/>.
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements, bool matchesNothing)
    {
        _requirements = requirements;
        MatchesNothing = matchesNothing;
    }

    /// <summary>Selects every object.</summary>
    public static LabelSelector Everything { get; } = new([], false);

    /// <summary>Selects no object (a null selector on a PodDisruptionBudget, for instance).</summary>
    public static LabelSelector Nothing { get; } = new([], true);

    /// <summary>True when the selector has no requirement and so selects everything.</summary>
    public bool IsEverything => !MatchesNothing && _requirements.Count == 0;

    /// <summary>True when the selector can never match.</summary>
    public bool MatchesNothing { get; }

    /// <summary>The equality requirements (<c>key=value</c>), useful for indexing.</summary>
    public IEnumerable<KeyValuePair<string, string>> EqualityRequirements =>
        _requirements.Where(r => r.Operator == SelectorOperator.In && r.Values.Count == 1)
            .Select(r => new KeyValuePair<string, string>(r.Key, r.Values[0]));

    /// <summary>Parses the query-string form; throws BadRequest (400) on bad syntax.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var result = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            result.Add(ParseRequirement(part.Trim(), text));
        }

        return new LabelSelector(result, false);
    }

    /// <summary>Compiles a <see cref="V1LabelSelector"/>; null selects nothing, an empty selector selects everything.</summary>
    public static LabelSelector From(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var result = new List<Requirement>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            result.Add(new Requirement(key, SelectorOperator.In, [value]));
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var op = expression.OperatorProperty switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                _ => throw new ApiException(422, "Invalid", $"\"{expression.OperatorProperty}\" is not a valid label selector operator"),
            };
            result.Add(new Requirement(expression.Key, op, expression.Values?.ToList() ?? []));
        }

        return new LabelSelector(result, false);
    }

    /// <summary>Whether <paramref name="labels"/> satisfy every requirement.</summary>
    public bool Matches(IDictionary<string, string>? labels)
    {
        if (MatchesNothing)
        {
            return false;
        }

        foreach (var requirement in _requirements)
        {
            string? value = null;
            var has = labels is not null && labels.TryGetValue(requirement.Key, out value);
            var ok = requirement.Operator switch
            {
                SelectorOperator.In => has && requirement.Values.Contains(value!),
                SelectorOperator.NotIn => !has || !requirement.Values.Contains(value!),
                SelectorOperator.Exists => has,
                SelectorOperator.DoesNotExist => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Requirement ParseRequirement(string part, string whole)
    {
        ApiException Bad() => new(400, "BadRequest", $"unable to parse requirement: found '{part}' in label selector \"{whole}\"");

        if (part.Length == 0)
        {
            throw Bad();
        }

        if (part[0] == '!')
        {
            return new Requirement(CheckKey(part[1..].Trim(), Bad), SelectorOperator.DoesNotExist, []);
        }

        var setMatch = System.Text.RegularExpressions.Regex.Match(part, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
        if (setMatch.Success)
        {
            var values = setMatch.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries).Where(v => v.Length > 0).ToList();
            var op = setMatch.Groups[2].Value == "in" ? SelectorOperator.In : SelectorOperator.NotIn;
            return new Requirement(CheckKey(setMatch.Groups[1].Value, Bad), op, values);
        }

        foreach (var (token, op) in new[] { ("!=", SelectorOperator.NotIn), ("==", SelectorOperator.In), ("=", SelectorOperator.In) })
        {
            var index = part.IndexOf(token, StringComparison.Ordinal);
            if (index > 0)
            {
                return new Requirement(CheckKey(part[..index].Trim(), Bad), op, [part[(index + token.Length)..].Trim()]);
            }
        }

        return new Requirement(CheckKey(part, Bad), SelectorOperator.Exists, []);
    }

    private static string CheckKey(string key, Func<ApiException> bad) =>
        key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!' or ',') ? throw bad() : key;

    private enum SelectorOperator
    {
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values);
}
