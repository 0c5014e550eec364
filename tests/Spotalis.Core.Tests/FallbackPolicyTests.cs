namespace Spotalis.Core.Tests;

public sealed class FallbackPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FallbackAfter = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ReclaimAfter = TimeSpan.FromMinutes(10);

    private static FallbackFacts SpotPod(int ageMinutes = 30, int? unschedulableMinutes = null, bool terminating = false) =>
        new(CapacityType.Spot, false, Now.AddMinutes(-ageMinutes), unschedulableMinutes is { } m ? Now.AddMinutes(-m) : null, terminating);

    private static FallbackFacts FallbackPod(int ageMinutes, bool terminating = false) =>
        new(CapacityType.OnDemand, true, Now.AddMinutes(-ageMinutes), null, terminating);

    private static FallbackStatus Evaluate(params FallbackFacts[] pods) => FallbackPolicy.Evaluate(pods, FallbackAfter, ReclaimAfter, Now);

    [Fact]
    public void Spot_is_available_when_nothing_is_stuck()
    {
        Assert.Equal(new FallbackStatus(false, false, "spot capacity available"), Evaluate(SpotPod(), new FallbackFacts(CapacityType.OnDemand, false, Now, null, false)));
    }

    [Fact]
    public void No_pods_means_spot_is_available()
    {
        Assert.Equal(new FallbackStatus(false, false, "spot capacity available"), Evaluate());
    }

    [Fact]
    public void A_spot_pod_unschedulable_for_less_than_fallback_after_is_awaited()
    {
        var status = Evaluate(SpotPod(unschedulableMinutes: 4));

        Assert.False(status.SpotUnavailable);
        Assert.False(status.ReclaimDue);
        Assert.Equal("1 spot pod(s) unschedulable for less than 5m; waiting before falling back", status.Reason);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(60)]
    public void A_spot_pod_unschedulable_for_fallback_after_makes_spot_unavailable(int minutes)
    {
        var status = Evaluate(SpotPod(unschedulableMinutes: minutes), SpotPod(unschedulableMinutes: 1));

        Assert.True(status.SpotUnavailable);
        Assert.False(status.ReclaimDue);
        Assert.Equal($"1 spot pod(s) unschedulable for up to {GoDuration.Format(TimeSpan.FromMinutes(minutes))} (fallbackAfter 5m); new spot pods go to on-demand", status.Reason);
    }

    [Fact]
    public void Unschedulable_on_demand_pods_do_not_trigger_fallback()
    {
        var status = Evaluate(new FallbackFacts(CapacityType.OnDemand, false, Now.AddHours(-1), Now.AddHours(-1), false));

        Assert.False(status.SpotUnavailable);
    }

    [Fact]
    public void Terminating_pods_are_ignored()
    {
        var status = Evaluate(SpotPod(unschedulableMinutes: 30, terminating: true), FallbackPod(1, terminating: true));

        Assert.Equal(new FallbackStatus(false, false, "spot capacity available"), status);
    }

    [Fact]
    public void A_recent_fallback_pod_keeps_spot_unavailable()
    {
        var status = Evaluate(FallbackPod(3), FallbackPod(20));

        Assert.True(status.SpotUnavailable);
        Assert.False(status.ReclaimDue);
        Assert.Equal("1 fallback pod(s) on on-demand, the newest 3m old; spot is retried once all are 10m old", status.Reason);
    }

    [Fact]
    public void Reclaim_is_due_when_every_fallback_pod_is_old_enough_and_no_spot_pod_is_stuck()
    {
        var status = Evaluate(FallbackPod(10), FallbackPod(30), SpotPod());

        Assert.False(status.SpotUnavailable);
        Assert.True(status.ReclaimDue);
        Assert.Equal("2 fallback pod(s) older than 10m; moving them back to spot one at a time", status.Reason);
    }

    [Fact]
    public void Reclaim_waits_while_a_spot_pod_is_unschedulable()
    {
        var status = Evaluate(FallbackPod(30), SpotPod(unschedulableMinutes: 1));

        Assert.False(status.SpotUnavailable);
        Assert.False(status.ReclaimDue);
        Assert.Equal("1 fallback pod(s) due for reclaim, but 1 spot pod(s) are unschedulable now; waiting", status.Reason);
    }
}
