using System.Globalization;
using System.Text;
using Spotalis.Core.Capacity;
using Spotalis.Core.Text;
using Spotalis.Core.Timing;

namespace Spotalis.Core.Policy;

/// <summary>
/// Turns a workload's labels and annotations (and its namespace's labels) into a validated <see cref="WorkloadPolicy"/>.
/// Invalid values never guess: they produce an error naming the key, the value and the allowed range, and the policy
/// falls back to all on-demand. Unknown or misplaced <c>spotalis.io/</c> keys only produce warnings.
/// </summary>
public static class PolicyParser
{
    private const string BooleanRange = "\"true\" or \"false\"";
    private const string PercentageRange = "an integer from 0 to 100";
    private const string FallbackAfterRange = "a positive Go duration such as 90s, 5m or 1h30m";
    private const int MaxShownValueLength = 64;

    private static readonly string[] WorkloadAnnotationKeys =
        [SpotalisKeys.SpotPercentage, SpotalisKeys.MinOnDemand, SpotalisKeys.FallbackAfter, SpotalisKeys.DisruptionBudget,
            SpotalisKeys.DisruptionSchedule, SpotalisKeys.DisruptionDuration];

    private static readonly string[] NamespaceLabelKeys = [SpotalisKeys.Enabled, SpotalisKeys.DisruptionSchedule, SpotalisKeys.DisruptionDuration];

    private static readonly string[] PodKeys = [SpotalisKeys.CapacityType, SpotalisKeys.Fallback];

    private static readonly string[] AllKeys = [SpotalisKeys.Enabled, .. WorkloadAnnotationKeys, .. PodKeys];

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public static PolicyResult Parse(
        IReadOnlyDictionary<string, string>? workloadLabels,
        IReadOnlyDictionary<string, string>? workloadAnnotations,
        IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        workloadLabels ??= Empty;
        workloadAnnotations ??= Empty;
        namespaceLabels ??= Empty;
        var errors = new List<PolicyIssue>();
        var warnings = new List<PolicyIssue>();
        var notes = new List<PolicyIssue>();

        var enabled = ParseEnabled(workloadLabels, namespaceLabels, errors, warnings);
        var spotPercentage = ParseInteger(workloadAnnotations, SpotalisKeys.SpotPercentage, 0, 100, WorkloadPolicy.DefaultSpotPercentage, errors, notes, GoForms.WithPercent);
        var minOnDemand = ParseInteger(workloadAnnotations, SpotalisKeys.MinOnDemand, 0, int.MaxValue, WorkloadPolicy.DefaultMinOnDemand, errors, notes, GoForms.Plain);
        var budget = ParseInteger(workloadAnnotations, SpotalisKeys.DisruptionBudget, 1, int.MaxValue, WorkloadPolicy.DefaultDisruptionBudget, errors, notes, GoForms.None);
        var fallbackAfter = ParseFallbackAfter(workloadAnnotations, errors);
        var window = WorkloadWindowParser.Parse(workloadAnnotations, namespaceLabels, errors);

        WarnAboutOtherKeys(workloadLabels, "workload label", allowed: [SpotalisKeys.Enabled], warnings);
        WarnAboutOtherKeys(workloadAnnotations, "workload annotation", allowed: WorkloadAnnotationKeys, warnings);
        WarnAboutOtherKeys(namespaceLabels, "namespace label", allowed: NamespaceLabelKeys, warnings);

        // Fail safe (invariant 2): any error means no spot for this workload; keep the values that were valid.
        var policy = new WorkloadPolicy(enabled, errors.Count == 0 ? spotPercentage : 0, minOnDemand, fallbackAfter, budget)
        {
            DisruptionSchedule = window?.Schedule,
            DisruptionDuration = window?.Duration ?? TimeSpan.Zero,
            DisruptionWindowSource = window?.Source,
        };
        return new PolicyResult(policy, errors, warnings) { Notes = notes };
    }

    private static bool ParseEnabled(
        IReadOnlyDictionary<string, string> workloadLabels,
        IReadOnlyDictionary<string, string> namespaceLabels,
        List<PolicyIssue> errors,
        List<PolicyIssue> warnings)
    {
        var namespaceHasLabel = namespaceLabels.TryGetValue(SpotalisKeys.Enabled, out var namespaceValue);
        if (workloadLabels.TryGetValue(SpotalisKeys.Enabled, out var workloadValue))
        {
            if (namespaceHasLabel && ParseBoolean(namespaceValue!) is null)
            {
                warnings.Add(Issue(SpotalisKeys.Enabled, namespaceValue!, DescribeBooleanProblem(namespaceValue!),
                    BooleanRange, "on the namespace; ignored because the workload label decides"));
            }

            return ResolveBoolean(workloadValue, "on the workload", errors);
        }

        return namespaceHasLabel && ResolveBoolean(namespaceValue!, "on the namespace", errors);
    }

    private static bool ResolveBoolean(string value, string where, List<PolicyIssue> errors)
    {
        if (ParseBoolean(value) is { } parsed)
        {
            return parsed;
        }

        // An unreadable opt-in is treated as not opted in: Spotalis leaves the workload alone.
        errors.Add(Issue(SpotalisKeys.Enabled, value, DescribeBooleanProblem(value), BooleanRange, $"{where}; the workload is treated as not enabled"));
        return false;
    }

    private static bool? ParseBoolean(string value) => value switch
    {
        SpotalisKeys.True => true,
        SpotalisKeys.False => false,
        _ => null,
    };

    private static string DescribeBooleanProblem(string value)
    {
        if (value.Length == 0)
        {
            return "is empty";
        }

        if (value.Trim() != value)
        {
            return "has leading or trailing whitespace";
        }

        return value.Equals(SpotalisKeys.True, StringComparison.OrdinalIgnoreCase) ||
               value.Equals(SpotalisKeys.False, StringComparison.OrdinalIgnoreCase)
            ? "must be lower case"
            : "is not a boolean";
    }

    private static int ParseInteger(
        IReadOnlyDictionary<string, string> annotations, string key, int minimum, int maximum, int defaultValue,
        List<PolicyIssue> errors, List<PolicyIssue> notes, GoForms goForms)
    {
        if (!annotations.TryGetValue(key, out var value))
        {
            return defaultValue;
        }

        if (IntegerParser.TryParse(value, minimum, maximum, out var parsed, out var problem))
        {
            return parsed;
        }

        // Forms the Go release accepted ("70%", "+70", "070") keep meaning what they meant there.
        if (goForms != GoForms.None && IntegerParser.TryParseGoForm(value, goForms == GoForms.WithPercent, out var goValue))
        {
            if (goValue >= minimum && goValue <= maximum)
            {
                var canonical = goValue.ToString(CultureInfo.InvariantCulture);
                notes.Add(new PolicyIssue(key, value,
                    $"{key}: \"{Show(value)}\" is read as {canonical}, as the Go release did; write \"{canonical}\" (an integer from {minimum.ToString(CultureInfo.InvariantCulture)}{(maximum == int.MaxValue ? " up" : $" to {maximum.ToString(CultureInfo.InvariantCulture)}")})"));
                return (int)goValue;
            }

            problem = goValue < 0 ? "is negative" : goValue > maximum ? $"is greater than {maximum.ToString(CultureInfo.InvariantCulture)}" : $"is less than {minimum.ToString(CultureInfo.InvariantCulture)}";
        }

        errors.Add(Issue(key, value, problem, DescribeRange(minimum, maximum)));
        return defaultValue;
    }

    private enum GoForms
    {
        None,
        Plain,
        WithPercent,
    }

    private static TimeSpan? ParseFallbackAfter(IReadOnlyDictionary<string, string> annotations, List<PolicyIssue> errors)
    {
        if (!annotations.TryGetValue(SpotalisKeys.FallbackAfter, out var value))
        {
            return null;
        }

        string problem;
        if (value.Length == 0)
        {
            problem = "is empty";
        }
        else if (value.Trim() != value)
        {
            problem = "has leading or trailing whitespace";
        }
        else if (!GoDuration.TryParse(value, out var duration))
        {
            problem = "is not a Go duration";
        }
        else if (duration <= TimeSpan.Zero)
        {
            problem = duration == TimeSpan.Zero ? "is zero" : "is negative";
        }
        else
        {
            return duration;
        }

        errors.Add(Issue(SpotalisKeys.FallbackAfter, value, problem, FallbackAfterRange));
        return null;
    }

    private static void WarnAboutOtherKeys(
        IReadOnlyDictionary<string, string> map, string where, IReadOnlyCollection<string> allowed, List<PolicyIssue> warnings)
    {
        foreach (var (key, value) in map.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!key.StartsWith(SpotalisKeys.Prefix, StringComparison.Ordinal) || allowed.Contains(key))
            {
                continue;
            }

            warnings.Add(new PolicyIssue(key, value, $"{key}: \"{Show(value)}\" {DescribeMisplacedKey(key, where)}"));
        }
    }

    private static string DescribeMisplacedKey(string key, string where)
    {
        if (PodKeys.Contains(key))
        {
            return $"is a pod key set by the Spotalis webhook; ignored as a {where}";
        }

        if (key == SpotalisKeys.Enabled)
        {
            return $"must be a label, not an annotation; ignored as a {where}";
        }

        if (WorkloadAnnotationKeys.Contains(key))
        {
            return where == "namespace label"
                ? "is only read from workload annotations; ignored as a namespace label"
                : $"must be a workload annotation, not a label; ignored as a {where}";
        }

        var suggestion = ClosestKnownKey(key);
        return suggestion is null
            ? $"is not a known Spotalis key; ignored as a {where}"
            : $"is not a known Spotalis key (did you mean {suggestion}?); ignored as a {where}";
    }

    private static string? ClosestKnownKey(string key)
    {
        const int maxDistance = 4;
        // The distance is at least the difference in length: a far longer key (a megabyte of hostile input) is
        // ruled out without comparing it character by character.
        return AllKeys
            .Where(known => Math.Abs(known.Length - key.Length) <= maxDistance)
            .Select(known => (Key: known, Distance: EditDistance.Between(key, known)))
            .Where(candidate => candidate.Distance <= maxDistance)
            .OrderBy(candidate => candidate.Distance)
            .Select(candidate => candidate.Key)
            .FirstOrDefault();
    }

    private static string DescribeRange(int minimum, int maximum) =>
        minimum == 0 && maximum == 100
            ? PercentageRange
            : maximum == int.MaxValue
                ? $"an integer >= {minimum.ToString(CultureInfo.InvariantCulture)}"
                : $"an integer from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}";

    internal static PolicyIssue Issue(string key, string value, string problem, string allowed, string? consequence = null)
    {
        var message = $"{key}: \"{Show(value)}\" {problem}; allowed: {allowed}";
        if (consequence is not null)
        {
            message += $" ({consequence})";
        }

        return new PolicyIssue(key, value, message);
    }

    /// <summary>Makes a value safe to show in one line of an Event or log: control characters escaped, long values cut.</summary>
    internal static string Show(string value)
    {
        var builder = new StringBuilder();
        foreach (var character in value)
        {
            if (builder.Length >= MaxShownValueLength)
            {
                builder.Append("...");
                break;
            }

            _ = character switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(character) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)character:x4}"),
                _ => builder.Append(character),
            };
        }

        return builder.ToString();
    }
}
