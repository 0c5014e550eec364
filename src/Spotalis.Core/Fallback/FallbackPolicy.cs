using Spotalis.Core.Capacity;
using Spotalis.Core.Timing;

namespace Spotalis.Core.Fallback;

/// <summary>
/// Decides fallback and reclaim from the pods alone, so the controller and every webhook replica agree.
/// A workload falls back when a spot pod has been unschedulable for at least <c>fallbackAfter</c>. The decision is then
/// recorded on the pods (the <c>spotalis.io/fallback-since</c> mark), and the mark holds it: evicting the pending pod,
/// a restart or a leader change cannot undo it. It ends only when the operator reclaims — after <c>reclaimAfter</c>,
/// on evidence of spot capacity or, without evidence, by a probe whose interval grows with every failed probe — and
/// clears the marks. Fallback pods without marks are being moved back to spot.
/// </summary>
public static class FallbackPolicy
{
    /// <summary>Fallback with time-only reclaim (no evidence, no probe back-off).</summary>
    public static FallbackStatus Evaluate(IReadOnlyList<FallbackFacts> pods, TimeSpan fallbackAfter, TimeSpan reclaimAfter, DateTimeOffset now) =>
        Evaluate(pods, fallbackAfter, ReclaimRules.TimeOnly(reclaimAfter), now);

    public static FallbackStatus Evaluate(IReadOnlyList<FallbackFacts> pods, TimeSpan fallbackAfter, ReclaimRules reclaim, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(reclaim);
        var live = pods.Where(pod => !pod.Terminating).ToList();
        var unschedulableSpot = live.Where(pod => pod.Intended == CapacityType.Spot && pod.UnschedulableSince is not null).ToList();
        var stuck = unschedulableSpot.Where(pod => now - pod.UnschedulableSince!.Value >= fallbackAfter).ToList();
        var fallbackPods = live.Where(pod => pod.IsFallbackPod).ToList();

        // Terminating pods still hold the mark while they exist: the pending pod just evicted is evidence too.
        var marks = pods.Where(pod => pod.FallbackSince is not null).Select(pod => pod.FallbackSince!.Value).ToList();
        var marked = marks.Count > 0;
        var recorded = live.Count > 0 && live.All(pod => pod.FallbackSince is not null);
        DateTimeOffset? since = marked ? marks.Min() : null;

        if (stuck.Count > 0)
        {
            var longest = now - stuck.Min(pod => pod.UnschedulableSince!.Value);
            return new FallbackStatus(true, false,
                $"{stuck.Count} spot pod(s) unschedulable for up to {FormatAge(longest)} (fallbackAfter {GoDuration.Format(fallbackAfter)}); new spot pods go to on-demand")
            {
                Since = since ?? stuck.Min(pod => pod.UnschedulableSince!.Value) + fallbackAfter,
                Recorded = recorded,
                Marked = marked,
            };
        }

        if (since is { } fellBack)
        {
            return Held(fellBack, unschedulableSpot.Count, reclaim, now) with { Since = fellBack, Recorded = recorded, Marked = true };
        }

        if (fallbackPods.Count > 0)
        {
            return unschedulableSpot.Count > 0
                ? new FallbackStatus(false, false,
                    $"{fallbackPods.Count} fallback pod(s) still on on-demand, but {unschedulableSpot.Count} spot pod(s) are unschedulable now; waiting")
                : new FallbackStatus(false, true,
                    $"{fallbackPods.Count} fallback pod(s) on on-demand; moving them back to spot one at a time");
        }

        return unschedulableSpot.Count > 0
            ? new FallbackStatus(false, false,
                $"{unschedulableSpot.Count} spot pod(s) unschedulable for less than {GoDuration.Format(fallbackAfter)}; waiting before falling back")
            : new FallbackStatus(false, false, "spot capacity available");
    }

    /// <summary>A recorded fallback: it holds until reclaim is due.</summary>
    private static FallbackStatus Held(DateTimeOffset since, int unschedulableSpot, ReclaimRules reclaim, DateTimeOffset now)
    {
        var held = now - since;
        var inFallback = $"in fallback for {FormatAge(held)}";
        if (unschedulableSpot > 0)
        {
            return new FallbackStatus(true, false, $"{inFallback}; {unschedulableSpot} spot pod(s) are unschedulable now");
        }

        if (held < reclaim.ReclaimAfter)
        {
            return new FallbackStatus(true, false,
                $"{inFallback}; spot is tried again once it has lasted {GoDuration.Format(reclaim.ReclaimAfter)} (reclaimAfter)");
        }

        if (reclaim.Evidence is { } evidence)
        {
            return new FallbackStatus(true, true, $"{inFallback}; spot capacity is back: {evidence}");
        }

        if (held >= reclaim.BlindProbeAfter)
        {
            return new FallbackStatus(true, true,
                $"{inFallback} without evidence of spot capacity; moving one replica back to spot to find out");
        }

        return new FallbackStatus(true, false,
            reclaim.BlindProbeAfter == TimeSpan.MaxValue
                ? $"{inFallback}; waiting for evidence of spot capacity (a Ready spot node with room)"
                : $"{inFallback}; waiting for evidence of spot capacity, or a probe in {GoDuration.Format(Ceiling(reclaim.BlindProbeAfter - held))}");
    }

    private static string FormatAge(TimeSpan age) => GoDuration.Format(TimeSpan.FromSeconds(Math.Floor(Math.Max(0, age.TotalSeconds))));

    private static TimeSpan Ceiling(TimeSpan value) => TimeSpan.FromSeconds(Math.Ceiling(Math.Max(0, value.TotalSeconds)));
}
