// TEMPORARY: stands in for Spotalis.Core until the core branch lands; delete on merge.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Spotalis.Core;

public enum CapacityType
{
    OnDemand,
    Spot,
}

public static partial class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        var matches = Part().Matches(text);
        if (matches.Sum(m => m.Length) != text.Length || matches.Count == 0)
        {
            return false;
        }

        foreach (Match m in matches)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                _ => TimeSpan.Zero,
            };
        }

        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = string.Empty;
        if (value.TotalHours >= 1)
        {
            text += $"{(int)value.TotalHours}h";
        }

        if (value.Minutes > 0)
        {
            text += $"{value.Minutes}m";
        }

        if (value.Seconds > 0 || text.Length == 0)
        {
            text += $"{value.Seconds}s";
        }

        return text;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|h|m|s)")]
    private static partial Regex Part();
}

public static class SpotalisKeys
{
    public const string Prefix = "spotalis.io/";
    public const string Enabled = "spotalis.io/enabled";
    public const string SpotPercentage = "spotalis.io/spot-percentage";
    public const string MinOnDemand = "spotalis.io/min-on-demand";
    public const string FallbackAfter = "spotalis.io/fallback-after";
    public const string DisruptionBudget = "spotalis.io/disruption-budget";
    public const string CapacityType = "spotalis.io/capacity-type";
    public const string Fallback = "spotalis.io/fallback";
}

public static class CapacityTypes
{
    public static string ToLabelValue(CapacityType type) => type == CapacityType.Spot ? "spot" : "on-demand";
}
