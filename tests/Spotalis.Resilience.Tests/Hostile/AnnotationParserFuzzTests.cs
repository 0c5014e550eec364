using CsCheck;
using Spotalis.Core.Capacity;
using Spotalis.Core.Policy;
using Spotalis.Core.Timing;

namespace Spotalis.Resilience.Tests.Hostile;

/// <summary>
/// The annotation parser under hostile input: it never throws, and anything it cannot read makes the workload
/// fail safe (no spot) with an error naming the key, never a guess.
/// </summary>
public sealed class AnnotationParserFuzzTests
{
    private static readonly string[] Keys =
    [
        SpotalisKeys.Enabled, SpotalisKeys.SpotPercentage, SpotalisKeys.MinOnDemand, SpotalisKeys.FallbackAfter,
        SpotalisKeys.DisruptionBudget, SpotalisKeys.CapacityType, SpotalisKeys.Fallback, "spotalis.io/spot-percentag",
        "spotalis.io/", "SPOTALIS.IO/SPOT-PERCENTAGE", "app", "spotalis.io/😀",
    ];

    private static readonly Gen<string> Key = Gen.OneOf(HostileStrings.Pick(Keys), HostileStrings.AnyString);

    private static readonly Gen<Dictionary<string, string>> Map =
        Gen.Select(Key, HostileStrings.AnyString).Array[0, 8].Select(pairs =>
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in pairs)
            {
                map[key] = value;
            }

            return map;
        });

    [Fact]
    public void Random_labels_and_annotations_never_throw_and_invalid_input_means_no_spot()
    {
        Gen.Select(Map, Map, Map).Sample((labels, annotations, namespaceLabels) =>
        {
            var result = PolicyParser.Parse(labels, annotations, namespaceLabels);
            Assert.NotNull(result.Policy);
            if (!result.IsValid)
            {
                Assert.Equal(0, result.Policy.SpotPercentage);
            }

            foreach (var issue in result.Errors.Concat(result.Warnings))
            {
                Assert.False(string.IsNullOrEmpty(issue.Key));
                Assert.Contains(issue.Key, issue.Message, StringComparison.Ordinal);
            }

            Assert.InRange(result.Policy.SpotPercentage, 0, 100);
            Assert.True(result.Policy.MinOnDemand >= 0);
            Assert.True(result.Policy.DisruptionBudget >= 1);
        }, iter: 3_000);
    }

    [Theory]
    [InlineData("spotalis.io/spot-percentage")]
    [InlineData("spotalis.io/min-on-demand")]
    [InlineData("spotalis.io/disruption-budget")]
    [InlineData("spotalis.io/fallback-after")]
    public void Every_nasty_value_is_either_accepted_exactly_or_rejected_with_an_error_naming_the_key(string key)
    {
        foreach (var value in HostileStrings.Nasty)
        {
            var annotations = new Dictionary<string, string> { [SpotalisKeys.SpotPercentage] = "60", [key] = value };
            var result = PolicyParser.Parse(Enabled, annotations, null);
            if (result.IsValid)
            {
                // Only canonical values pass: plain ASCII digits without sign, space or leading zero, or a Go duration.
                Assert.True(IsCanonical(key, value), $"{key}={Describe(value)} was accepted");
                continue;
            }

            var error = Assert.Single(result.Errors);
            Assert.Equal(key, error.Key);
            Assert.StartsWith(key, error.Message, StringComparison.Ordinal);
            Assert.Equal(0, result.Policy.SpotPercentage);
            Assert.True(result.Policy.Enabled);
            // A megabyte of garbage must not come back in the message (logs, Events and metrics carry it).
            Assert.True(error.Message.Length < 400, $"message of {error.Message.Length} chars for {Describe(value)}");
        }
    }

    [Fact]
    public void Huge_maps_of_unknown_spotalis_keys_parse_in_bounded_time_and_only_warn()
    {
        var annotations = Enumerable.Range(0, 5_000).ToDictionary(i => $"spotalis.io/unknown-{i}", i => new string('x', 200));
        annotations[SpotalisKeys.SpotPercentage] = "70";
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = PolicyParser.Parse(Enabled, annotations, null);
        Assert.True(result.IsValid);
        Assert.Equal(70, result.Policy.SpotPercentage);
        Assert.Equal(5_000, result.Warnings.Count);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
    }

    [Fact]
    public void A_megabyte_long_key_close_to_a_known_one_is_only_a_warning()
    {
        var key = "spotalis.io/spot-percentage" + new string('e', 1_000_000);
        var result = PolicyParser.Parse(Enabled, new Dictionary<string, string> { [key] = "50" }, null);
        Assert.True(result.IsValid);
        Assert.Equal(0, result.Policy.SpotPercentage);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(key, warning.Key);
    }

    private static readonly Dictionary<string, string> Enabled = new() { [SpotalisKeys.Enabled] = "true" };

    private static bool IsCanonical(string key, string value)
    {
        if (key == SpotalisKeys.FallbackAfter)
        {
            return GoDuration.TryParse(value, out var duration) && duration > TimeSpan.Zero && value.Trim() == value;
        }

        // spot-percentage and min-on-demand also take the forms the Go release accepted: sign, leading zeros, "70%".
        var goForm = key is SpotalisKeys.SpotPercentage or SpotalisKeys.MinOnDemand;
        var digits = goForm && key == SpotalisKeys.SpotPercentage && value.EndsWith('%') ? value[..^1] : value;
        digits = goForm && digits.Length > 1 && digits[0] is '+' or '-' ? digits[1..] : digits;
        if (goForm && digits.Length > 0 && digits.All(char.IsAsciiDigit))
        {
            var magnitude = digits.TrimStart('0');
            var negative = value[0] == '-' && magnitude.Length > 0;
            return !negative && magnitude.Length <= 10 && (magnitude.Length == 0 || long.TryParse(magnitude, out var n) && n <= (key == SpotalisKeys.SpotPercentage ? 100 : int.MaxValue));
        }

        return value.Length is > 0 and <= 10 && value.All(char.IsAsciiDigit) && (value == "0" || value[0] != '0') &&
               int.TryParse(value, out var number) && key switch
               {
                   SpotalisKeys.SpotPercentage => number <= 100,
                   SpotalisKeys.DisruptionBudget => number >= 1,
                   _ => true,
               };
    }

    private static string Describe(string value) =>
        value.Length > 40 ? $"<{value.Length} chars starting '{value[..10]}'>" : $"'{value}'";
}
