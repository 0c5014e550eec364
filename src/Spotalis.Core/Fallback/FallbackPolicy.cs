namespace Spotalis.Core;

/// <summary>
/// Decides fallback and reclaim from the pods alone, so the controller and every webhook replica agree:
/// spot is unavailable while a spot pod has been unschedulable for at least <c>fallbackAfter</c>, or a fallback pod
/// is younger than <c>reclaimAfter</c>. Reclaim is due when fallback pods exist, all are at least <c>reclaimAfter</c>
/// old, and no spot pod is unschedulable now.
/// </summary>
public static class FallbackPolicy
{
    public static FallbackStatus Evaluate(IReadOnlyList<FallbackFacts> pods, TimeSpan fallbackAfter, TimeSpan reclaimAfter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var live = pods.Where(pod => !pod.Terminating).ToList();
        var unschedulableSpot = live.Where(pod => pod.Intended == CapacityType.Spot && pod.UnschedulableSince is not null).ToList();
        var stuck = unschedulableSpot.Where(pod => now - pod.UnschedulableSince!.Value >= fallbackAfter).ToList();
        var fallbackPods = live.Where(pod => pod.IsFallbackPod).ToList();
        var recentFallback = fallbackPods.Where(pod => now - pod.CreatedAt < reclaimAfter).ToList();

        if (stuck.Count > 0)
        {
            var longest = now - stuck.Min(pod => pod.UnschedulableSince!.Value);
            return new FallbackStatus(true, false,
                $"{stuck.Count} spot pod(s) unschedulable for up to {FormatAge(longest)} (fallbackAfter {GoDuration.Format(fallbackAfter)}); new spot pods go to on-demand");
        }

        if (recentFallback.Count > 0)
        {
            var youngest = now - recentFallback.Max(pod => pod.CreatedAt);
            return new FallbackStatus(true, false,
                $"{recentFallback.Count} fallback pod(s) on on-demand, the newest {FormatAge(youngest)} old; spot is retried once all are {GoDuration.Format(reclaimAfter)} old");
        }

        if (fallbackPods.Count > 0)
        {
            return unschedulableSpot.Count > 0
                ? new FallbackStatus(false, false,
                    $"{fallbackPods.Count} fallback pod(s) due for reclaim, but {unschedulableSpot.Count} spot pod(s) are unschedulable now; waiting")
                : new FallbackStatus(false, true,
                    $"{fallbackPods.Count} fallback pod(s) older than {GoDuration.Format(reclaimAfter)}; moving them back to spot one at a time");
        }

        return unschedulableSpot.Count > 0
            ? new FallbackStatus(false, false,
                $"{unschedulableSpot.Count} spot pod(s) unschedulable for less than {GoDuration.Format(fallbackAfter)}; waiting before falling back")
            : new FallbackStatus(false, false, "spot capacity available");
    }

    private static string FormatAge(TimeSpan age) => GoDuration.Format(TimeSpan.FromSeconds(Math.Floor(Math.Max(0, age.TotalSeconds))));
}
