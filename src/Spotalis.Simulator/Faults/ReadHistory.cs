using System.Collections.Concurrent;

namespace Spotalis.Simulator.Faults;

/// <summary>
/// Successful GET/LIST responses by request (path and query), kept for a while so that a later identical request
/// can be answered with what the server said back then: the stale-read fault.
/// </summary>
internal sealed class ReadHistory
{
    /// <summary>A new response of the same request is kept at most this often (bounds memory under polling).</summary>
    private static readonly TimeSpan RecordEvery = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, List<RecordedRead>> _reads = new(StringComparer.Ordinal);

    public void Record(string request, RecordedRead read, TimeSpan keep)
    {
        var reads = _reads.GetOrAdd(request, _ => []);
        lock (reads)
        {
            if (reads.Count > 0 && read.At - reads[^1].At < RecordEvery)
            {
                return;
            }

            reads.Add(read);
            // Keep the newest read that is older than the keep interval: it is the one a stale answer needs.
            var expired = reads.FindLastIndex(r => read.At - r.At > keep);
            if (expired > 0)
            {
                reads.RemoveRange(0, expired);
            }
        }
    }

    /// <summary>The newest recorded response of this request that is at least <paramref name="age"/> old, if any.</summary>
    public RecordedRead? AsOf(string request, DateTimeOffset now, TimeSpan age)
    {
        if (!_reads.TryGetValue(request, out var reads))
        {
            return null;
        }

        lock (reads)
        {
            var index = reads.FindLastIndex(r => now - r.At >= age);
            return index >= 0 ? reads[index] : null;
        }
    }

    public void Clear() => _reads.Clear();
}
