namespace Spotalis.Core.Fallback;

/// <summary>Whether a workload should treat spot as unavailable, whether it is time to move back to spot, and why.</summary>
/// <param name="SpotUnavailable">New pods meant for spot go to on-demand.</param>
/// <param name="ReclaimDue">Spot is worth trying again: the operator clears the fallback marks and moves pods back.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record FallbackStatus(bool SpotUnavailable, bool ReclaimDue, string Reason)
{
    /// <summary>When the workload fell back: the earliest mark on its pods, or when a stuck spot pod crossed fallbackAfter.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Live pods carry the <c>spotalis.io/fallback-since</c> mark: the decision is recorded in the cluster.</summary>
    public bool Recorded { get; init; }

    /// <summary>Some pod (live or terminating) carries the mark.</summary>
    public bool Marked { get; init; }
}
