namespace Spotalis.Core.Steering;

/// <summary>
/// Invariant 8 (no disruption in vain): judges each move by its replacement and decides when evictions of a workload
/// pause. A replacement that lands on the capacity type it was moved away from, or that the webhook never placed, makes
/// the move futile; after <c>limit</c> futile moves in a row the workload pauses for <c>backoff</c>, doubling with each
/// further futile move up to <c>maxBackoff</c>; one steered replacement ends the pause and resets the count.
/// </summary>
public static class FutileMoves
{
    /// <summary>The replacement of a move: the oldest pod created after the eviction that did not exist before it.</summary>
    public static ReplacementFacts? ReplacementOf(MoveRecord move, IReadOnlyList<ReplacementFacts> pods, ISet<string> claimedUids)
    {
        ArgumentNullException.ThrowIfNull(move);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(claimedUids);
        return pods
            .Where(p => p.CreatedAt >= move.At.AddSeconds(-1) && !move.ExistingPods.Contains(p.Uid) && !claimedUids.Contains(p.Uid))
            .OrderBy(p => p.CreatedAt)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public static MoveVerdict Judge(MoveRecord move, ReplacementFacts? replacement)
    {
        ArgumentNullException.ThrowIfNull(move);
        if (replacement is null)
        {
            return MoveVerdict.Unknown;
        }

        if (!replacement.Placed)
        {
            return MoveVerdict.Unplaced;
        }

        return replacement.Landed switch
        {
            null => MoveVerdict.Unknown,
            var landed when landed == move.From => MoveVerdict.Futile,
            _ => MoveVerdict.Steered,
        };
    }

    /// <summary>The pause after <paramref name="consecutiveFutile"/> futile moves in a row; zero below the limit.</summary>
    public static TimeSpan PauseAfter(int consecutiveFutile, int limit, TimeSpan backoff, TimeSpan maxBackoff)
    {
        if (consecutiveFutile < Math.Max(1, limit))
        {
            return TimeSpan.Zero;
        }

        var pause = backoff;
        for (var extra = consecutiveFutile - limit; extra > 0 && pause < maxBackoff; extra--)
        {
            pause += pause;
        }

        return pause > maxBackoff ? maxBackoff : pause;
    }
}
