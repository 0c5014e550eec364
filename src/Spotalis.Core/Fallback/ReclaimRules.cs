namespace Spotalis.Core.Fallback;

/// <summary>When a workload in fallback may try spot again.</summary>
/// <param name="ReclaimAfter">Minimum time in fallback before any reclaim (damps flapping).</param>
/// <param name="BlindProbeAfter">Time in fallback after which one replica is moved back to spot without evidence of
/// spot capacity (a probe); grows exponentially with every probe that failed. <see cref="TimeSpan.MaxValue"/> = never.</param>
/// <param name="Evidence">Evidence that spot capacity exists now (a Ready spot node with room, a pod scheduled on spot
/// since the fallback), in words; null when there is none.</param>
public sealed record ReclaimRules(TimeSpan ReclaimAfter, TimeSpan BlindProbeAfter, string? Evidence)
{
    /// <summary>Reclaim after <paramref name="reclaimAfter"/> with or without evidence (the webhook's view; it never reclaims itself).</summary>
    public static ReclaimRules TimeOnly(TimeSpan reclaimAfter) => new(reclaimAfter, reclaimAfter, null);
}
