namespace Spotalis.Simulator.Api;

/// <summary>
/// The bounded history of committed changes that watches resume from. Every commit takes the next
/// resourceVersion, so the log is contiguous: a watch from <c>rv</c> can be served when <c>rv + 1</c> is still held.
/// </summary>
internal sealed class EventLog
{
    private readonly ClusterChange[] _ring;
    private long _count;

    public EventLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new ClusterChange[capacity];
    }

    /// <summary>The oldest resourceVersion a watch may start from (the one before the oldest retained change).</summary>
    public long OldestResumableVersion { get; private set; }

    public void Append(ClusterChange change)
    {
        if (_count == 0)
        {
            OldestResumableVersion = change.ResourceVersion - 1;
        }

        _ring[_count % _ring.Length] = change;
        _count++;
        if (_count > _ring.Length)
        {
            OldestResumableVersion = _ring[_count % _ring.Length].ResourceVersion - 1;
        }
    }

    /// <summary>Changes committed after <paramref name="resourceVersion"/>, oldest first; null when they were compacted away.</summary>
    public IEnumerable<ClusterChange>? Since(long resourceVersion)
    {
        if (_count > 0 && resourceVersion < OldestResumableVersion)
        {
            return null;
        }

        var held = Math.Min(_count, _ring.Length);
        var result = new List<ClusterChange>();
        for (var i = _count - held; i < _count; i++)
        {
            var change = _ring[i % _ring.Length];
            if (change.ResourceVersion > resourceVersion)
            {
                result.Add(change);
            }
        }

        return result;
    }
}
