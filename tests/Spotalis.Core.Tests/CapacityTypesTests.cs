using Spotalis.Core.Capacity;

namespace Spotalis.Core.Tests;

public sealed class CapacityTypesTests
{
    [Theory]
    [InlineData(CapacityType.Spot, "spot")]
    [InlineData(CapacityType.OnDemand, "on-demand")]
    public void Label_values_round_trip(CapacityType type, string label)
    {
        Assert.Equal(label, CapacityTypes.ToLabelValue(type));
        Assert.True(CapacityTypes.TryParse(label, out var parsed));
        Assert.Equal(type, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Spot")]
    [InlineData("SPOT")]
    [InlineData("ondemand")]
    [InlineData("on_demand")]
    [InlineData(" spot")]
    public void Anything_but_the_exact_label_values_is_rejected(string? value)
    {
        Assert.False(CapacityTypes.TryParse(value, out _));
    }

    [Fact]
    public void Unknown_enum_values_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CapacityTypes.ToLabelValue((CapacityType)7));
    }

    [Fact]
    public void Describe_names_unknown()
    {
        Assert.Equal("unknown", CapacityTypes.Describe(null));
        Assert.Equal("spot", CapacityTypes.Describe(CapacityType.Spot));
    }

    [Fact]
    public void Keys_match_the_public_contract()
    {
        Assert.Equal("spotalis.io/", SpotalisKeys.Prefix);
        Assert.Equal("spotalis.io/enabled", SpotalisKeys.Enabled);
        Assert.Equal("spotalis.io/spot-percentage", SpotalisKeys.SpotPercentage);
        Assert.Equal("spotalis.io/min-on-demand", SpotalisKeys.MinOnDemand);
        Assert.Equal("spotalis.io/fallback-after", SpotalisKeys.FallbackAfter);
        Assert.Equal("spotalis.io/disruption-budget", SpotalisKeys.DisruptionBudget);
        Assert.Equal("spotalis.io/capacity-type", SpotalisKeys.CapacityType);
        Assert.Equal("spotalis.io/fallback", SpotalisKeys.Fallback);
        Assert.Equal("controller.kubernetes.io/pod-deletion-cost", SpotalisKeys.PodDeletionCost);
        Assert.Equal("karpenter.sh/do-not-disrupt", SpotalisKeys.DoNotDisrupt);
    }
}
