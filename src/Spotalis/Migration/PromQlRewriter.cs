using System.Text;
using System.Text.RegularExpressions;

namespace Spotalis.Migration;

/// <summary>
/// Rewrites PromQL that queries the Go release's metrics (<see cref="GoMetrics"/>): metric names, label matchers and
/// grouping labels (<c>by</c>, <c>without</c>, <c>on</c>, <c>ignoring</c>, <c>group_left</c>, <c>group_right</c>).
/// A Go label without an equivalent is dropped and the rewrite is marked inexact with a note saying which.
/// </summary>
public static partial class PromQlRewriter
{
    /// <summary>True when <paramref name="expression"/> queries at least one Go metric name.</summary>
    public static bool UsesGoMetrics(string expression) =>
        MetricSelector().Matches(expression).Any(m => GoMetrics.Find(m.Groups["name"].Value) is not null);

    public static PromQlRewrite Rewrite(string source, string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var notes = new List<string>();
        var used = new List<GoMetric>();
        var rewritten = MetricSelector().Replace(expression, match =>
        {
            var metric = GoMetrics.Find(match.Groups["name"].Value);
            if (metric is null)
            {
                return match.Value;
            }

            used.Add(metric);
            var matchers = match.Groups["matchers"].Success ? SplitMatchers(match.Groups["matchers"].Value) : [];
            var kept = new List<string>();
            foreach (var matcher in matchers)
            {
                var parsed = MatcherPattern().Match(matcher);
                if (!parsed.Success)
                {
                    kept.Add(matcher.Trim());
                    continue;
                }

                var label = parsed.Groups["label"].Value;
                if (metric.DroppedLabels.Contains(label) || metric.Replacement is not null)
                {
                    notes.Add($"{metric.GoName}: matcher {matcher.Trim()} dropped ({label} has no equivalent on {metric.NewName ?? metric.Replacement})");
                    continue;
                }

                kept.Add((metric.LabelRenames.TryGetValue(label, out var renamed) ? renamed : label) + matcher.Trim()[label.Length..]);
            }

            if (metric.Replacement is not null)
            {
                return metric.Replacement;
            }

            if (metric.AddedMatchers.Length > 0)
            {
                kept.Add(metric.AddedMatchers);
            }

            return kept.Count == 0 ? metric.NewName! : $"{metric.NewName}{{{string.Join(", ", kept)}}}";
        });

        if (used.Count > 0)
        {
            rewritten = Grouping().Replace(rewritten, match =>
            {
                var labels = match.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var result = new List<string>();
                foreach (var label in labels)
                {
                    var owner = used.FirstOrDefault(m => m.DroppedLabels.Contains(label) && !m.LabelRenames.ContainsKey(label));
                    if (owner is not null && !used.Any(m => m.LabelRenames.ContainsKey(label)))
                    {
                        notes.Add($"{match.Groups["keyword"].Value} ({label}) dropped: {owner.GoName}'s {label} has no equivalent");
                        continue;
                    }

                    var rename = used.Select(m => m.LabelRenames.TryGetValue(label, out var r) ? r : null).FirstOrDefault(r => r is not null);
                    result.Add(rename ?? label);
                }

                return $"{match.Groups["keyword"].Value}{match.Groups["space"].Value}({string.Join(", ", result)})";
            });
        }

        return new PromQlRewrite(source, expression, rewritten, notes.Count == 0, notes.Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>The rewrite of a bare selector of each Go metric, for the reference table.</summary>
    public static IEnumerable<(GoMetric Metric, string Query)> Table() =>
        GoMetrics.All.Select(m => (m, Rewrite("table", m.GoName).Rewritten));

    private static List<string> SplitMatchers(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                quoted = !quoted;
            }

            if (c == ',' && !quoted)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.ToString().Trim().Length > 0)
        {
            parts.Add(current.ToString());
        }

        return parts.Where(p => p.Trim().Length > 0).ToList();
    }

    [GeneratedRegex("""(?<![A-Za-z0-9_:])(?<name>spotalis_[a-z0-9_]+)(?![A-Za-z0-9_:])(\s*\{(?<matchers>[^}]*)\})?""", RegexOptions.CultureInvariant)]
    private static partial Regex MetricSelector();

    [GeneratedRegex("""^\s*(?<label>[A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)""", RegexOptions.CultureInvariant)]
    private static partial Regex MatcherPattern();

    [GeneratedRegex("""(?<keyword>\bby|\bwithout|\bon|\bignoring|\bgroup_left|\bgroup_right)(?<space>\s*)\((?<labels>[A-Za-z0-9_,\s]*)\)""", RegexOptions.CultureInvariant)]
    private static partial Regex Grouping();
}
