namespace Spotalis.Core.Tests;

public sealed class PolicyParserTests
{
    private static Dictionary<string, string> Map(params (string Key, string Value)[] entries) =>
        entries.ToDictionary(entry => entry.Key, entry => entry.Value);

    [Fact]
    public void Valid_annotations_produce_the_policy()
    {
        var result = PolicyParser.Parse(
            Map((SpotalisKeys.Enabled, "true")),
            Map((SpotalisKeys.SpotPercentage, "70"), (SpotalisKeys.MinOnDemand, "1"), (SpotalisKeys.FallbackAfter, "90s"), (SpotalisKeys.DisruptionBudget, "2")),
            null);

        Assert.True(result.IsValid);
        Assert.Equal(new WorkloadPolicy(true, 70, 1, TimeSpan.FromSeconds(90), 2), result.Policy);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Invalid_percentage_fails_safe_to_all_on_demand_with_a_precise_message()
    {
        var result = PolicyParser.Parse(Map((SpotalisKeys.Enabled, "true")), Map((SpotalisKeys.SpotPercentage, "150")), null);

        Assert.False(result.IsValid);
        Assert.Equal(0, result.Policy.SpotPercentage);
        Assert.True(result.Policy.Enabled);
        var error = Assert.Single(result.Errors);
        Assert.Equal("spotalis.io/spot-percentage: \"150\" is greater than 100; allowed: an integer from 0 to 100", error.Message);
    }

    [Fact]
    public void Workload_label_overrides_namespace_label()
    {
        var result = PolicyParser.Parse(Map((SpotalisKeys.Enabled, "false")), null, Map((SpotalisKeys.Enabled, "true")));

        Assert.False(result.Policy.Enabled);
        Assert.True(result.IsValid);
    }
}
