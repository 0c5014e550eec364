using Spotalis.Core.Planning;
using Spotalis.Core.Steering;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// What this process remembers about a workload between reconciles. It only refines decisions (an eviction made
/// a moment ago before the watch shows it; not repeating the same Event); everything that matters for safety is
/// recomputed from the cluster, so losing it on restart is harmless.
/// </summary>
internal sealed class WorkloadMemory
{
    private static readonly IReadOnlySet<string> EmptyNames = new HashSet<string>(StringComparer.Ordinal);

    public DateTimeOffset? LastEvictionAt { get; set; }

    /// <summary>
    /// Pods this process evicted (name and uid) that the cache still shows as not terminating. The watch reports an
    /// eviction some time after the API server accepted it (longer while the watch reconnects); until then the
    /// cache still counts the pod Ready, and planning on that picture would start a second disruption while the
    /// first is still in flight (DESIGN.md invariant 1). Such a pod counts as terminating until the cache catches up.
    /// </summary>
    private readonly Dictionary<string, string> _evictedNotYetSeen = new(StringComparer.Ordinal);

    public DateTimeOffset? BlockedByPdbAt { get; set; }

    public int ConsecutiveBlocks { get; set; }

    public WorkloadState? LastState { get; set; }

    public bool SpotUnavailable { get; set; }

    /// <summary>Reclaims that ended in a new fallback since the workload was last balanced (lengthens the next wait).</summary>
    public int FailedProbes { get; set; }

    /// <summary>When this process last cleared the fallback marks to reclaim spot; null once balanced again.</summary>
    public DateTimeOffset? ReclaimStartedAt { get; set; }

    public string? ReportedPolicyErrors { get; set; }

    /// <summary>The Go-form notes (e.g. "70%") last logged, so that each is logged once, not every reconcile.</summary>
    public string? ReportedPolicyNotes { get; set; }

    /// <summary>Evictions whose replacement has not been judged yet (invariant 8).</summary>
    public List<MoveRecord> PendingMoves { get; } = [];

    /// <summary>Futile or unplaced moves in a row; reset by one steered replacement.</summary>
    public int ConsecutiveFutile { get; set; }

    /// <summary>Evictions of this workload pause until then because moves were futile.</summary>
    public DateTimeOffset? PausedUntil { get; set; }

    /// <summary>When the current pause started and whether its last move was unplaced (created without the webhook).</summary>
    public (DateTimeOffset At, bool Unplaced)? PauseStarted { get; set; }

    /// <summary>A pause that started and is not reported yet: the futile move's words and the pause.</summary>
    public (string What, TimeSpan Pause)? PauseToReport { get; set; }

    /// <summary>A PlacementNotSteered Warning was recorded and the pause has not ended with a steered move yet.</summary>
    public bool NotSteeredReported { get; set; }

    /// <summary>The admission-path problem last reported on this workload.</summary>
    public string? ReportedPathProblem { get; set; }

    public HashSet<string> ReportedWouldEvict { get; } = new(StringComparer.Ordinal);

    /// <summary>Remembers an accepted eviction until the cache shows its pod terminating or gone.</summary>
    public void Evicted(string podName, string podUid)
    {
        lock (_evictedNotYetSeen)
        {
            _evictedNotYetSeen[podName] = podUid;
        }
    }

    /// <summary>
    /// Forgets the evictions the cache has caught up with (the pod is gone, terminating, or replaced by a new pod of
    /// the same name) and returns the names of the pods still awaiting it.
    /// </summary>
    public IReadOnlySet<string> EvictedNotYetSeen(IReadOnlyList<PodSnapshot> cached)
    {
        lock (_evictedNotYetSeen)
        {
            if (_evictedNotYetSeen.Count == 0)
            {
                return EmptyNames;
            }

            var waiting = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, uid) in _evictedNotYetSeen.ToArray())
            {
                if (cached.Any(p => p.Name == name && p.Uid == uid && !p.Terminating))
                {
                    waiting.Add(name);
                }
                else
                {
                    _evictedNotYetSeen.Remove(name);
                }
            }

            return waiting;
        }
    }

    /// <summary>The last disruption seen in the future (the clock stepped back, or the cluster's clock is ahead) and when.</summary>
    private (DateTimeOffset Disruption, DateTimeOffset SeenAt)? _futureDisruption;

    /// <summary>
    /// When the cooldown after <paramref name="lastDisruption"/> counts from. A time later than now cannot be trusted:
    /// the operator's clock stepped back or the cluster's clock is ahead, and waiting until the clocks agree would stall
    /// the workload for as long as they disagree. It then counts from when this process first saw that disruption.
    /// </summary>
    public DateTimeOffset CooldownStart(DateTimeOffset lastDisruption, DateTimeOffset now)
    {
        if (lastDisruption <= now)
        {
            _futureDisruption = null;
            return lastDisruption;
        }

        if (_futureDisruption is not { } seen || seen.Disruption != lastDisruption || seen.SeenAt > now)
        {
            _futureDisruption = (lastDisruption, now);
        }

        return _futureDisruption.Value.SeenAt;
    }
}
