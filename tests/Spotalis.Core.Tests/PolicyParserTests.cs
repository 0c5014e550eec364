using Spotalis.Core.Capacity;
using Spotalis.Core.Policy;

namespace Spotalis.Core.Tests;

public sealed class PolicyParserTests
{
    private static readonly Dictionary<string, string> Enabled = new() { [SpotalisKeys.Enabled] = "true" };

    private static Dictionary<string, string> Map(params (string Key, string Value)[] entries) =>
        entries.ToDictionary(entry => entry.Key, entry => entry.Value);

    private static PolicyResult ParseAnnotation(string key, string value) => PolicyParser.Parse(Enabled, Map((key, value)), null);

    [Fact]
    public void Valid_annotations_produce_the_policy()
    {
        var result = PolicyParser.Parse(
            Enabled,
            Map((SpotalisKeys.SpotPercentage, "70"), (SpotalisKeys.MinOnDemand, "1"), (SpotalisKeys.FallbackAfter, "1h30m"), (SpotalisKeys.DisruptionBudget, "2")),
            null);

        Assert.True(result.IsValid);
        Assert.Equal(new WorkloadPolicy(true, 70, 1, TimeSpan.FromMinutes(90), 2), result.Policy);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Missing_annotations_take_the_defaults()
    {
        var result = PolicyParser.Parse(Enabled, null, null);

        Assert.True(result.IsValid);
        Assert.Equal(new WorkloadPolicy(true, 0, 0, null, 1), result.Policy);
        Assert.Equal(WorkloadPolicy.AllOnDemand, result.Policy);
    }

    [Fact]
    public void Nothing_at_all_means_not_enabled()
    {
        var result = PolicyParser.Parse(null, null, null);

        Assert.True(result.IsValid);
        Assert.Equal(WorkloadPolicy.Disabled, result.Policy);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("true", null, true)]
    [InlineData("false", null, false)]
    [InlineData(null, "true", true)]
    [InlineData(null, "false", false)]
    [InlineData("false", "true", false)]
    [InlineData("true", "false", true)]
    [InlineData("true", "true", true)]
    public void Workload_label_overrides_namespace_label(string? workload, string? ns, bool expected)
    {
        var workloadLabels = workload is null ? Map() : Map((SpotalisKeys.Enabled, workload));
        var namespaceLabels = ns is null ? Map() : Map((SpotalisKeys.Enabled, ns));

        var result = PolicyParser.Parse(workloadLabels, null, namespaceLabels);

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Policy.Enabled);
    }

    [Theory]
    [InlineData("True", "spotalis.io/enabled: \"True\" must be lower case; allowed: \"true\" or \"false\" (on the workload; the workload is treated as not enabled)")]
    [InlineData("yes", "spotalis.io/enabled: \"yes\" is not a boolean; allowed: \"true\" or \"false\" (on the workload; the workload is treated as not enabled)")]
    [InlineData("", "spotalis.io/enabled: \"\" is empty; allowed: \"true\" or \"false\" (on the workload; the workload is treated as not enabled)")]
    [InlineData(" true", "spotalis.io/enabled: \" true\" has leading or trailing whitespace; allowed: \"true\" or \"false\" (on the workload; the workload is treated as not enabled)")]
    public void Invalid_enabled_label_is_an_error_and_the_workload_is_left_alone(string value, string message)
    {
        var result = PolicyParser.Parse(Map((SpotalisKeys.Enabled, value)), Map((SpotalisKeys.SpotPercentage, "50")), Map((SpotalisKeys.Enabled, "true")));

        Assert.False(result.IsValid);
        Assert.False(result.Policy.Enabled);
        Assert.Equal(0, result.Policy.SpotPercentage);
        var error = Assert.Single(result.Errors);
        Assert.Equal(SpotalisKeys.Enabled, error.Key);
        Assert.Equal(value, error.Value);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Invalid_namespace_label_is_an_error_when_it_decides()
    {
        var result = PolicyParser.Parse(null, null, Map((SpotalisKeys.Enabled, "1")));

        Assert.False(result.Policy.Enabled);
        var error = Assert.Single(result.Errors);
        Assert.Contains("on the namespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_namespace_label_is_only_a_warning_when_the_workload_label_decides()
    {
        var result = PolicyParser.Parse(Enabled, null, Map((SpotalisKeys.Enabled, "on")));

        Assert.True(result.IsValid);
        Assert.True(result.Policy.Enabled);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("spotalis.io/enabled: \"on\" is not a boolean; allowed: \"true\" or \"false\" (on the namespace; ignored because the workload label decides)", warning.Message);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("50", 50)]
    [InlineData("99", 99)]
    [InlineData("100", 100)]
    public void Spot_percentage_accepts_0_to_100(string value, int expected)
    {
        var result = ParseAnnotation(SpotalisKeys.SpotPercentage, value);

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Policy.SpotPercentage);
    }

    [Theory]
    [InlineData("101", "is greater than 100")]
    [InlineData("150", "is greater than 100")]
    [InlineData("2147483647", "is greater than 100")]
    [InlineData("2147483648", "is greater than 100")]
    [InlineData("99999999999999999999999", "is greater than 100")]
    [InlineData("-1", "is negative")]
    [InlineData("-100", "is negative")]
    [InlineData("", "is empty")]
    [InlineData(" ", "has leading or trailing whitespace")]
    [InlineData(" 70", "has leading or trailing whitespace")]
    [InlineData("70 ", "has leading or trailing whitespace")]
    [InlineData("70\n", "has leading or trailing whitespace")]
    [InlineData("+170", "is greater than 100")]
    [InlineData("170%", "is greater than 100")]
    [InlineData("-5%", "is negative")]
    [InlineData("70 %", "is not an integer")]
    [InlineData("%70", "is not an integer")]
    [InlineData("70%%", "is not an integer")]
    [InlineData("%", "is not an integer")]
    [InlineData("7 0", "is not an integer")]
    [InlineData("seventy", "is not an integer")]
    [InlineData("0x10", "is not an integer")]
    [InlineData("1e2", "is not an integer")]
    [InlineData("50.5", "is not a whole number")]
    [InlineData("50,5", "is not a whole number")]
    [InlineData("\u0667\u0660", "contains non-ASCII digits")]
    [InlineData("\uff17\uff10", "contains non-ASCII digits")]
    [InlineData("+", "is not an integer")]
    [InlineData("-", "is not an integer")]
    public void Invalid_spot_percentage_names_key_value_and_range_and_fails_safe(string value, string problem)
    {
        var result = PolicyParser.Parse(Enabled, Map((SpotalisKeys.SpotPercentage, value), (SpotalisKeys.MinOnDemand, "2")), null);

        Assert.False(result.IsValid);
        Assert.True(result.Policy.Enabled);
        Assert.Equal(0, result.Policy.SpotPercentage);
        Assert.Equal(2, result.Policy.MinOnDemand);
        var error = Assert.Single(result.Errors);
        Assert.Equal(SpotalisKeys.SpotPercentage, error.Key);
        Assert.Equal(value, error.Value);
        Assert.StartsWith("spotalis.io/spot-percentage: \"", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"\" {problem}; allowed: an integer from 0 to 100", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("3", 3)]
    [InlineData("2147483647", int.MaxValue)]
    public void Min_on_demand_accepts_any_non_negative_int(string value, int expected)
    {
        var result = ParseAnnotation(SpotalisKeys.MinOnDemand, value);

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Policy.MinOnDemand);
    }

    [Theory]
    [InlineData("-1", "spotalis.io/min-on-demand: \"-1\" is negative; allowed: an integer >= 0")]
    [InlineData("2147483648", "spotalis.io/min-on-demand: \"2147483648\" is greater than 2147483647; allowed: an integer >= 0")]
    [InlineData("1.5", "spotalis.io/min-on-demand: \"1.5\" is not a whole number; allowed: an integer >= 0")]
    [InlineData("one", "spotalis.io/min-on-demand: \"one\" is not an integer; allowed: an integer >= 0")]
    [InlineData("\t1", "spotalis.io/min-on-demand: \"\\t1\" has leading or trailing whitespace; allowed: an integer >= 0")]
    public void Invalid_min_on_demand_is_an_error(string value, string message)
    {
        var result = PolicyParser.Parse(Enabled, Map((SpotalisKeys.SpotPercentage, "80"), (SpotalisKeys.MinOnDemand, value)), null);

        Assert.False(result.IsValid);
        Assert.Equal(0, result.Policy.SpotPercentage);
        Assert.Equal(0, result.Policy.MinOnDemand);
        Assert.Equal(message, Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("5", 5)]
    public void Disruption_budget_accepts_one_or_more(string value, int expected)
    {
        var result = ParseAnnotation(SpotalisKeys.DisruptionBudget, value);

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Policy.DisruptionBudget);
    }

    [Theory]
    [InlineData("0", "spotalis.io/disruption-budget: \"0\" is less than 1; allowed: an integer >= 1")]
    [InlineData("-2", "spotalis.io/disruption-budget: \"-2\" is negative; allowed: an integer >= 1")]
    [InlineData("all", "spotalis.io/disruption-budget: \"all\" is not an integer; allowed: an integer >= 1")]
    public void Invalid_disruption_budget_is_an_error_and_keeps_the_default_budget(string value, string message)
    {
        var result = ParseAnnotation(SpotalisKeys.DisruptionBudget, value);

        Assert.False(result.IsValid);
        Assert.Equal(1, result.Policy.DisruptionBudget);
        Assert.Equal(message, Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    public void Fallback_after_accepts_positive_go_durations(string value, int seconds)
    {
        var result = ParseAnnotation(SpotalisKeys.FallbackAfter, value);

        Assert.True(result.IsValid);
        Assert.Equal(TimeSpan.FromSeconds(seconds), result.Policy.FallbackAfter);
    }

    [Theory]
    [InlineData("5", "is not a Go duration")]
    [InlineData("5 minutes", "is not a Go duration")]
    [InlineData("5M", "is not a Go duration")]
    [InlineData("1d", "is not a Go duration")]
    [InlineData("0s", "is zero")]
    [InlineData("0", "is zero")]
    [InlineData("-5m", "is negative")]
    [InlineData("", "is empty")]
    [InlineData(" 5m", "has leading or trailing whitespace")]
    [InlineData("9999999999h", "is not a Go duration")]
    public void Invalid_fallback_after_is_an_error(string value, string problem)
    {
        var result = ParseAnnotation(SpotalisKeys.FallbackAfter, value);

        Assert.False(result.IsValid);
        Assert.Null(result.Policy.FallbackAfter);
        Assert.Equal(
            $"spotalis.io/fallback-after: \"{PolicyParser.Show(value)}\" {problem}; allowed: a positive Go duration such as 90s, 5m or 1h30m",
            Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Every_invalid_key_is_reported_in_one_pass()
    {
        var result = PolicyParser.Parse(
            Enabled,
            Map((SpotalisKeys.SpotPercentage, "x"), (SpotalisKeys.MinOnDemand, "-1"), (SpotalisKeys.FallbackAfter, "soon"), (SpotalisKeys.DisruptionBudget, "0")),
            null);

        Assert.Equal(
            [SpotalisKeys.SpotPercentage, SpotalisKeys.MinOnDemand, SpotalisKeys.DisruptionBudget, SpotalisKeys.FallbackAfter],
            result.Errors.Select(error => error.Key));
        Assert.Equal(new WorkloadPolicy(true, 0, 0, null, 1), result.Policy);
    }

    [Fact]
    public void Valid_values_survive_an_error_in_another_key()
    {
        var result = PolicyParser.Parse(
            Enabled,
            Map((SpotalisKeys.SpotPercentage, "70"), (SpotalisKeys.MinOnDemand, "3"), (SpotalisKeys.FallbackAfter, "2m"), (SpotalisKeys.DisruptionBudget, "nope")),
            null);

        Assert.False(result.IsValid);
        Assert.Equal(new WorkloadPolicy(true, 0, 3, TimeSpan.FromMinutes(2), 1), result.Policy);
    }

    [Theory]
    [InlineData("spotalis.io/spot-percent", "spotalis.io/spot-percent: \"70\" is not a known Spotalis key (did you mean spotalis.io/spot-percentage?); ignored as a workload annotation")]
    [InlineData("spotalis.io/min-ondemand", "spotalis.io/min-ondemand: \"70\" is not a known Spotalis key (did you mean spotalis.io/min-on-demand?); ignored as a workload annotation")]
    [InlineData("spotalis.io/owner", "spotalis.io/owner: \"70\" is not a known Spotalis key; ignored as a workload annotation")]
    [InlineData("spotalis.io/enabled", "spotalis.io/enabled: \"70\" must be a label, not an annotation; ignored as a workload annotation")]
    [InlineData("spotalis.io/capacity-type", "spotalis.io/capacity-type: \"70\" is a pod key set by the Spotalis webhook; ignored as a workload annotation")]
    [InlineData("spotalis.io/fallback", "spotalis.io/fallback: \"70\" is a pod key set by the Spotalis webhook; ignored as a workload annotation")]
    public void Unknown_or_misplaced_annotations_are_warnings_not_errors(string key, string message)
    {
        var result = PolicyParser.Parse(Enabled, Map((SpotalisKeys.SpotPercentage, "50"), (key, "70")), null);

        Assert.True(result.IsValid);
        Assert.Equal(50, result.Policy.SpotPercentage);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(key, warning.Key);
        Assert.Equal("70", warning.Value);
        Assert.Equal(message, warning.Message);
    }

    [Fact]
    public void Policy_keys_written_as_labels_are_warned_about_and_ignored()
    {
        var result = PolicyParser.Parse(Map((SpotalisKeys.Enabled, "true"), (SpotalisKeys.SpotPercentage, "70")), null, null);

        Assert.True(result.IsValid);
        Assert.Equal(0, result.Policy.SpotPercentage);
        Assert.Equal(
            "spotalis.io/spot-percentage: \"70\" must be a workload annotation, not a label; ignored as a workload label",
            Assert.Single(result.Warnings).Message);
    }

    [Fact]
    public void Policy_keys_on_namespaces_are_warned_about_and_ignored()
    {
        var result = PolicyParser.Parse(null, null, Map((SpotalisKeys.Enabled, "true"), (SpotalisKeys.SpotPercentage, "70"), ("spotalis.io/team", "a")));

        Assert.True(result.IsValid);
        Assert.True(result.Policy.Enabled);
        Assert.Equal(0, result.Policy.SpotPercentage);
        Assert.Equal(
            [
                "spotalis.io/spot-percentage: \"70\" is only read from workload annotations; ignored as a namespace label",
                "spotalis.io/team: \"a\" is not a known Spotalis key; ignored as a namespace label",
            ],
            result.Warnings.Select(warning => warning.Message));
    }

    [Fact]
    public void Keys_of_other_prefixes_are_ignored_silently()
    {
        var result = PolicyParser.Parse(
            Map((SpotalisKeys.Enabled, "true"), ("app", "web"), ("spotalis.io.example/x", "1")),
            Map(("deployment.kubernetes.io/revision", "3"), (SpotalisKeys.DoNotDisrupt, "true")),
            Map(("kubernetes.io/metadata.name", "default")));

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Control_characters_and_long_values_are_shown_safely()
    {
        var result = ParseAnnotation(SpotalisKeys.SpotPercentage, "\"7\u00010" + new string('9', 100));

        var message = Assert.Single(result.Errors).Message;
        Assert.DoesNotContain('\u0001', message);
        Assert.Contains("\\\"7\\u00010", message, StringComparison.Ordinal);
        Assert.Contains("...", message, StringComparison.Ordinal);
        Assert.True(message.Length < 200, message);
    }

    [Theory]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("\"70\"", "\\\"70\\\"")]
    public void Values_are_escaped_for_one_line_messages(string value, string shown)
    {
        Assert.Equal(shown, PolicyParser.Show(value));
    }
}
