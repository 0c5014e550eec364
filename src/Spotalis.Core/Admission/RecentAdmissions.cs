using Spotalis.Core.Capacity;

namespace Spotalis.Core.Admission;

/// <summary>
/// Pods the webhook admitted that the watch has not reported yet, per workload. Each admission is identified by the
/// admission request's uid, which the webhook writes onto the pod (<see cref="SpotalisKeys.AdmissionId"/>): the first
/// watch event that carries the id (<see cref="Observe"/>) ends the admission's count, because from then on the pod
/// itself is in the cache — and leaves it, or turns terminating, the moment the watch says it was deleted or
/// evicted. So a pod counts once, and only while it exists. An admission whose pod never shows up (its create failed
/// after admission, or the watch missed it in a relist) stops counting after the TTL. Thread-safe.
/// </summary>
public sealed class RecentAdmissions(TimeProvider time, TimeSpan ttl)
{
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));
    private readonly Dictionary<string, Dictionary<string, Admission>> _byWorkload = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _workloadById = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private static readonly HashSet<string> NoIds = [];

    public TimeSpan Ttl { get; } = ttl;

    /// <summary>Records an admission under its id; recording an id again replaces the earlier record.</summary>
    public void Record(string workloadKey, string admissionId, CapacityType capacityType)
    {
        ArgumentNullException.ThrowIfNull(workloadKey);
        ArgumentException.ThrowIfNullOrEmpty(admissionId);
        var expiresAt = _time.GetUtcNow() + Ttl;
        lock (_gate)
        {
            RemoveLocked(admissionId);
            if (!_byWorkload.TryGetValue(workloadKey, out var pods))
            {
                pods = new Dictionary<string, Admission>(StringComparer.Ordinal);
                _byWorkload[workloadKey] = pods;
            }

            pods[admissionId] = new Admission(capacityType, expiresAt);
            _workloadById[admissionId] = workloadKey;
        }
    }

    /// <summary>Unexpired admissions of a workload that the watch has not reported, by capacity type.</summary>
    public (int Spot, int OnDemand) Count(string workloadKey) => Snapshot(workloadKey).CountExcept(NoIds);

    /// <summary>
    /// The unexpired admissions of a workload with their ids, to be counted against a list of pods read AFTER this call
    /// with <see cref="UnseenAdmissions.CountExcept"/>. Taking this first closes the gap in which the watch delivers a
    /// pod (and ends its admission) between a read of the pods and a <see cref="Count"/>: the pod would count nowhere.
    /// </summary>
    public UnseenAdmissions Snapshot(string workloadKey)
    {
        ArgumentNullException.ThrowIfNull(workloadKey);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_byWorkload.TryGetValue(workloadKey, out var pods))
            {
                return UnseenAdmissions.None;
            }

            var unseen = new List<KeyValuePair<string, CapacityType>>(pods.Count);
            List<string>? expired = null;
            foreach (var (id, admission) in pods)
            {
                if (admission.ExpiresAt <= now)
                {
                    (expired ??= []).Add(id);
                }
                else
                {
                    unseen.Add(new(id, admission.CapacityType));
                }
            }

            // Admissions whose pod never showed up are dropped here, so the ledger and Pending stay bounded.
            foreach (var id in expired ?? [])
            {
                RemoveLocked(id);
            }

            return unseen.Count == 0 ? UnseenAdmissions.None : new UnseenAdmissions(unseen);
        }
    }

    /// <summary>
    /// The watch reported a pod carrying this admission id (added, changed or deleted): the pod now counts through the
    /// cache, or not at all, never through its admission. Unknown ids are ignored.
    /// </summary>
    public void Observe(string admissionId)
    {
        ArgumentNullException.ThrowIfNull(admissionId);
        lock (_gate)
        {
            RemoveLocked(admissionId);
        }
    }

    /// <summary>How many admissions are waiting for the watch, over every workload (a gauge for operators).</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _workloadById.Count;
            }
        }
    }

    private void RemoveLocked(string admissionId)
    {
        if (_workloadById.Remove(admissionId, out var workloadKey) &&
            _byWorkload.TryGetValue(workloadKey, out var pods) &&
            pods.Remove(admissionId) && pods.Count == 0)
        {
            _byWorkload.Remove(workloadKey);
        }
    }

    private readonly record struct Admission(CapacityType CapacityType, DateTimeOffset ExpiresAt);
}
