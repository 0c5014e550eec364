using static Spotalis.Core.Tests.PodBuilder;

using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;

namespace Spotalis.Core.Tests;

public sealed class ActualSplitCalculatorTests
{
    [Fact]
    public void Counts_live_pods_by_capacity_type_readiness_and_scheduling()
    {
        var actual = ActualSplitCalculator.Compute(
        [
            Spot("s1"), Spot("s2").NotReady(), Spot("s3").Pending(),
            OnDemand("o1"), OnDemand("o2").Terminating(),
            Pod("u1", null).Pending(),
            Spot("f").Failed(), OnDemand("d").Succeeded(),
        ]);

        Assert.Equal(new ActualSplit(Spot: 3, OnDemand: 1, Unknown: 1, Pending: 2, ReadySpot: 1, ReadyOnDemand: 1, InFlight: 4), actual);
        Assert.Equal(5, actual.Live);
        Assert.Equal(2, actual.Ready);
        Assert.Equal(3, actual.For(CapacityType.Spot));
        Assert.Equal(1, actual.ReadyFor(CapacityType.OnDemand));
    }

    [Fact]
    public void A_terminating_failed_pod_does_not_count_at_all()
    {
        var actual = ActualSplitCalculator.Compute([Spot("f").Failed().Terminating()]);

        Assert.Equal(new ActualSplit(0, 0, 0, 0, 0, 0, 0), actual);
    }

    [Fact]
    public void No_pods_count_as_zero()
    {
        Assert.Equal(new ActualSplit(0, 0, 0, 0, 0, 0, 0), ActualSplitCalculator.Compute([]));
    }
}
