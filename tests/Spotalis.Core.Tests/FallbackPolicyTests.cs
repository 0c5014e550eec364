using Spotalis.Core.Capacity;
using Spotalis.Core.Fallback;
using Spotalis.Core.Timing;

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

    private static FallbackFacts Marked(FallbackFacts pod, int fellBackMinutesAgo) => pod with { FallbackSince = Now.AddMinutes(-fellBackMinutesAgo) };

    private static FallbackStatus EvaluateWith(ReclaimRules rules, params FallbackFacts[] pods) => FallbackPolicy.Evaluate(pods, FallbackAfter, rules, Now);

    [Fact]
    public void A_recorded_fallback_holds_after_the_pending_pod_that_caused_it_is_gone()
    {
        // The stuck spot pod was evicted; only the marks on the remaining pods remember why.
        var status = Evaluate(Marked(FallbackPod(1), 3), Marked(new FallbackFacts(CapacityType.OnDemand, false, Now.AddHours(-1), null, false), 3));

        Assert.True(status.SpotUnavailable);
        Assert.False(status.ReclaimDue);
        Assert.True(status.Recorded);
        Assert.Equal(Now.AddMinutes(-3), status.Since);
        Assert.Equal("in fallback for 3m; spot is tried again once it has lasted 10m (reclaimAfter)", status.Reason);
    }

    [Fact]
    public void The_mark_of_a_terminating_pod_still_counts_while_it_exists()
    {
        var status = Evaluate(Marked(SpotPod(unschedulableMinutes: 6, terminating: true), 1));

        Assert.True(status.SpotUnavailable);
        Assert.True(status.Marked);
        Assert.False(status.Recorded);
    }

    [Fact]
    public void A_stuck_spot_pod_without_marks_is_a_new_unrecorded_fallback_dated_when_it_crossed_fallback_after()
    {
        var status = Evaluate(SpotPod(unschedulableMinutes: 7), FallbackPod(60));

        Assert.True(status.SpotUnavailable);
        Assert.False(status.Marked);
        Assert.False(status.Recorded);
        Assert.Equal(Now.AddMinutes(-2), status.Since);
    }

    [Fact]
    public void Reclaim_after_reclaim_after_needs_evidence_until_the_blind_probe_interval()
    {
        var pods = new[] { Marked(FallbackPod(20), 20), Marked(SpotPod(), 20) };
        var waiting = EvaluateWith(new ReclaimRules(ReclaimAfter, TimeSpan.FromMinutes(40), null), pods);
        Assert.True(waiting.SpotUnavailable);
        Assert.False(waiting.ReclaimDue);
        Assert.Equal("in fallback for 20m; waiting for evidence of spot capacity, or a probe in 20m", waiting.Reason);

        var evidence = EvaluateWith(new ReclaimRules(ReclaimAfter, TimeSpan.FromMinutes(40), "spot node n1 is Ready with room (3/8 pods)"), pods);
        Assert.True(evidence.ReclaimDue);
        Assert.Equal("in fallback for 20m; spot capacity is back: spot node n1 is Ready with room (3/8 pods)", evidence.Reason);

        var probe = EvaluateWith(new ReclaimRules(ReclaimAfter, TimeSpan.FromMinutes(15), null), pods);
        Assert.True(probe.ReclaimDue);
        Assert.Equal("in fallback for 20m without evidence of spot capacity; moving one replica back to spot to find out", probe.Reason);
    }

    [Fact]
    public void Evidence_does_not_shorten_reclaim_after()
    {
        var status = EvaluateWith(new ReclaimRules(ReclaimAfter, ReclaimAfter, "spot node n1 is Ready with room (0/8 pods)"), Marked(FallbackPod(5), 5));

        Assert.True(status.SpotUnavailable);
        Assert.False(status.ReclaimDue);
    }

    [Fact]
    public void Unmarked_fallback_pods_are_being_reclaimed()
    {
        var status = Evaluate(FallbackPod(3), FallbackPod(30), SpotPod());

        Assert.False(status.SpotUnavailable);
        Assert.True(status.ReclaimDue);
        Assert.Equal("2 fallback pod(s) on on-demand; moving them back to spot one at a time", status.Reason);
    }

    [Fact]
    public void Reclaim_waits_while_a_spot_pod_is_unschedulable()
    {
        var status = Evaluate(FallbackPod(30), SpotPod(unschedulableMinutes: 1));

        Assert.False(status.SpotUnavailable);
        Assert.False(status.ReclaimDue);
        Assert.Equal("1 fallback pod(s) still on on-demand, but 1 spot pod(s) are unschedulable now; waiting", status.Reason);
    }

    [Fact]
    public void A_marked_fallback_does_not_reclaim_while_a_spot_pod_is_unschedulable()
    {
        var status = Evaluate(Marked(FallbackPod(30), 30), Marked(SpotPod(unschedulableMinutes: 1), 30));

        Assert.True(status.SpotUnavailable);
        Assert.False(status.ReclaimDue);
    }
}
