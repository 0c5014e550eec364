using Spotalis.Core.Capacity;
using Spotalis.Core.Policy;
using Spotalis.Core.Timing;

namespace Spotalis.Core.Tests;

/// <summary>Annotations written for the Go release (issue #15) mean what they meant there.</summary>
public sealed class GoPolicyCompatibilityTests
{
    private static readonly Dictionary<string, string> Enabled = new() { [SpotalisKeys.Enabled] = "true" };

    private static Dictionary<string, string> Map(params (string Key, string Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    private static DateTimeOffset Utc(int hour, int minute) => new(2026, 1, 5, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("70%", 70)]
    [InlineData("+70", 70)]
    [InlineData("070", 70)]
    [InlineData("+070%", 70)]
    [InlineData("100%", 100)]
    [InlineData("0%", 0)]
    [InlineData("-0", 0)]
    [InlineData("00", 0)]
    public void Go_forms_of_spot_percentage_parse_to_the_Go_value_with_a_note(string value, int expected)
    {
        var result = PolicyParser.Parse(Enabled, Map((SpotalisKeys.SpotPercentage, value)), null);

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Policy.SpotPercentage);
        var note = Assert.Single(result.Notes);
        Assert.Equal(SpotalisKeys.SpotPercentage, note.Key);
        Assert.Contains($"is read as {expected}, as the Go release did; write \"{expected}\"", note.Message, StringComparison.Ordinal);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("+2", 2)]
    [InlineData("02", 2)]
    public void Go_forms_of_min_on_demand_parse_with_a_note(string value, int expected)
    {
        var result = PolicyParser.Parse(Enabled, Map((SpotalisKeys.SpotPercentage, "50"), (SpotalisKeys.MinOnDemand, value)), null);

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Policy.MinOnDemand);
        Assert.Single(result.Notes);
    }

    [Theory]
    [InlineData(SpotalisKeys.MinOnDemand, "2%")]
    [InlineData(SpotalisKeys.DisruptionBudget, "+2")]
    [InlineData(SpotalisKeys.SpotPercentage, "seventy%")]
    [InlineData(SpotalisKeys.SpotPercentage, "101%")]
    [InlineData(SpotalisKeys.SpotPercentage, " 70%")]
    public void Values_Go_rejected_still_fail_safe(string key, string value)
    {
        var annotations = Map((SpotalisKeys.SpotPercentage, "60"));
        annotations[key] = value;
        var result = PolicyParser.Parse(Enabled, annotations, null);

        Assert.False(result.IsValid);
        Assert.Equal(0, result.Policy.SpotPercentage);
        Assert.Equal(key, Assert.Single(result.Errors).Key);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void A_canonical_value_gets_no_note()
    {
        Assert.Empty(PolicyParser.Parse(Enabled, Map((SpotalisKeys.SpotPercentage, "70")), null).Notes);
    }

    [Fact]
    public void Workload_window_wins_over_namespace_labels_and_the_global_window()
    {
        var annotations = Map((SpotalisKeys.SpotPercentage, "50"), (SpotalisKeys.DisruptionSchedule, "0 2 * * *"), (SpotalisKeys.DisruptionDuration, "1h"));
        var namespaceLabels = Map((SpotalisKeys.Enabled, "true"), (SpotalisKeys.DisruptionSchedule, "0 10 * * *"), (SpotalisKeys.DisruptionDuration, "1h"));
        Assert.True(DisruptionWindow.TryCreate("0 20 * * *", TimeSpan.FromHours(1), "UTC", out var global, out _));

        var result = PolicyParser.Parse(null, annotations, namespaceLabels);
        var window = WorkloadDisruptionWindow.Resolve(result.Policy, global!);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Empty(result.Warnings);
        Assert.Equal("workload annotations", result.Policy.DisruptionWindowSource);
        Assert.True(window.IsOpen(Utc(2, 30)));
        Assert.False(window.IsOpen(Utc(10, 30)));
        Assert.False(window.IsOpen(Utc(20, 30)));
    }

    [Fact]
    public void Namespace_labels_apply_when_the_workload_sets_no_window()
    {
        var namespaceLabels = Map((SpotalisKeys.Enabled, "true"), (SpotalisKeys.DisruptionSchedule, "0 10 * * *"), (SpotalisKeys.DisruptionDuration, "30m"));

        var result = PolicyParser.Parse(null, Map((SpotalisKeys.SpotPercentage, "50")), namespaceLabels);
        var window = WorkloadDisruptionWindow.Resolve(result.Policy, DisruptionWindow.Always);

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
        Assert.Equal("namespace labels", result.Policy.DisruptionWindowSource);
        Assert.True(window.IsOpen(Utc(10, 15)));
        Assert.False(window.IsOpen(Utc(10, 45)));
    }

    [Fact]
    public void Without_any_workload_or_namespace_window_the_global_one_applies()
    {
        Assert.True(DisruptionWindow.TryCreate("0 20 * * *", TimeSpan.FromHours(1), "UTC", out var global, out _));

        var result = PolicyParser.Parse(Enabled, Map((SpotalisKeys.SpotPercentage, "50")), null);

        Assert.Same(global, WorkloadDisruptionWindow.Resolve(result.Policy, global!));
    }

    [Fact]
    public void The_workload_window_is_read_in_the_configured_time_zone()
    {
        var annotations = Map((SpotalisKeys.DisruptionSchedule, "0 2 * * *"), (SpotalisKeys.DisruptionDuration, "1h"));
        Assert.True(DisruptionWindow.TryCreate("0 20 * * *", TimeSpan.FromHours(1), "Asia/Tokyo", out var global, out _));

        var window = WorkloadDisruptionWindow.Resolve(PolicyParser.Parse(Enabled, annotations, null).Policy, global!);

        // 02:00 in Tokyo (UTC+9) is 17:00 UTC the day before.
        Assert.True(window.IsOpen(new DateTimeOffset(2026, 1, 4, 17, 30, 0, TimeSpan.Zero)));
        Assert.False(window.IsOpen(Utc(2, 30)));
    }

    [Theory]
    [InlineData(SpotalisKeys.DisruptionSchedule, "0 2 * * *", null, null, SpotalisKeys.DisruptionSchedule)]
    [InlineData(SpotalisKeys.DisruptionDuration, "1h", null, null, SpotalisKeys.DisruptionDuration)]
    [InlineData(SpotalisKeys.DisruptionSchedule, "every night", SpotalisKeys.DisruptionDuration, "1h", SpotalisKeys.DisruptionSchedule)]
    [InlineData(SpotalisKeys.DisruptionSchedule, "0 2 * * *", SpotalisKeys.DisruptionDuration, "an hour", SpotalisKeys.DisruptionDuration)]
    [InlineData(SpotalisKeys.DisruptionSchedule, "0 2 * * *", SpotalisKeys.DisruptionDuration, "0s", SpotalisKeys.DisruptionDuration)]
    public void An_unreadable_or_half_window_fails_safe(string key1, string value1, string? key2, string? value2, string errorKey)
    {
        var annotations = Map((SpotalisKeys.SpotPercentage, "50"), (key1, value1));
        if (key2 is not null)
        {
            annotations[key2] = value2!;
        }

        var result = PolicyParser.Parse(Enabled, annotations, null);

        Assert.False(result.IsValid);
        Assert.Equal(0, result.Policy.SpotPercentage);
        Assert.Contains(result.Errors, e => e.Key == errorKey);
        Assert.Null(result.Policy.DisruptionSchedule);
    }
}
