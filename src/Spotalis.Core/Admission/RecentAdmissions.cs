namespace Spotalis.Core;

/// <summary>
/// Pods the webhook admitted that the cache may not show yet, per workload, each expiring after a TTL. Counting them
/// lets a burst of creations (0 -> 50 replicas at once) land on the desired split. Thread-safe.
/// </summary>
public sealed class RecentAdmissions(TimeProvider time, TimeSpan ttl)
{
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));
    private readonly Dictionary<string, Dictionary<string, Admission>> _byWorkload = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public TimeSpan Ttl { get; } = ttl;

    /// <summary>Records an admission. Pods without a name yet (generateName) are recorded under a unique key.</summary>
    public void Record(string workloadKey, string podName, CapacityType capacityType)
    {
        ArgumentNullException.ThrowIfNull(workloadKey);
        var key = string.IsNullOrEmpty(podName) ? "\0unnamed-" + Guid.NewGuid().ToString("N") : podName;
        var expiresAt = _time.GetUtcNow() + Ttl;
        lock (_gate)
        {
            if (!_byWorkload.TryGetValue(workloadKey, out var pods))
            {
                pods = new Dictionary<string, Admission>(StringComparer.Ordinal);
                _byWorkload[workloadKey] = pods;
            }

            pods[key] = new Admission(capacityType, expiresAt);
        }
    }

    /// <summary>Unexpired admissions of a workload by capacity type.</summary>
    public (int Spot, int OnDemand) Count(string workloadKey)
    {
        ArgumentNullException.ThrowIfNull(workloadKey);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_byWorkload.TryGetValue(workloadKey, out var pods))
            {
                return (0, 0);
            }

            foreach (var expired in pods.Where(pair => pair.Value.ExpiresAt <= now).Select(pair => pair.Key).ToList())
            {
                pods.Remove(expired);
            }

            if (pods.Count == 0)
            {
                _byWorkload.Remove(workloadKey);
                return (0, 0);
            }

            var spot = pods.Values.Count(admission => admission.CapacityType == CapacityType.Spot);
            return (spot, pods.Count - spot);
        }
    }

    /// <summary>Forgets an admission once the cache shows the pod, so that it is not counted twice.</summary>
    public void Forget(string workloadKey, string podName)
    {
        ArgumentNullException.ThrowIfNull(workloadKey);
        ArgumentNullException.ThrowIfNull(podName);
        lock (_gate)
        {
            if (_byWorkload.TryGetValue(workloadKey, out var pods) && pods.Remove(podName) && pods.Count == 0)
            {
                _byWorkload.Remove(workloadKey);
            }
        }
    }

    private readonly record struct Admission(CapacityType CapacityType, DateTimeOffset ExpiresAt);
}
