using Spotalis.Core.Capacity;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

public sealed class SplitCalculatorTests
{
    [Theory]
    [InlineData(10, 70, 1, 7, 3)]
    [InlineData(10, 70, 5, 5, 5)]
    [InlineData(10, 100, 0, 10, 0)]
    [InlineData(10, 100, 1, 9, 1)]
    [InlineData(10, 0, 0, 0, 10)]
    [InlineData(0, 70, 1, 0, 0)]
    [InlineData(3, 70, 5, 0, 3)]
    [InlineData(3, 50, 0, 1, 2)]
    [InlineData(1, 99, 0, 0, 1)]
    [InlineData(7, 33, 0, 2, 5)]
    [InlineData(-4, 50, 0, 0, 0)]
    public void Compute_follows_the_contract_formula(int replicas, int percentage, int floor, int spot, int onDemand)
    {
        var split = SplitCalculator.Compute(replicas, percentage, floor);

        Assert.Equal(new DesiredSplit(spot, onDemand), split);
        Assert.Equal(spot + onDemand, split.Total);
    }

    [Fact]
    public void Compute_does_not_overflow_for_huge_replica_counts()
    {
        var split = SplitCalculator.Compute(int.MaxValue, 100, 0);

        Assert.Equal(int.MaxValue, split.Spot);
        Assert.Equal(0, split.OnDemand);
    }

    [Fact]
    public void Desired_split_reads_per_capacity_type_and_prints_readably()
    {
        var split = SplitCalculator.Compute(10, 70, 1);

        Assert.Equal(7, split.For(CapacityType.Spot));
        Assert.Equal(3, split.For(CapacityType.OnDemand));
        Assert.Equal("7 spot, 3 on-demand", split.ToString());
    }
}
