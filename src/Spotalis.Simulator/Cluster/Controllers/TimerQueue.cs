namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// Wake-ups at a point of the cluster clock: when due, the key is marked dirty on its controller, which then
/// re-evaluates it level-triggered. Guarded by the cluster state lock.
/// </summary>
internal sealed class TimerQueue
{
    private readonly PriorityQueue<(ClusterController Controller, string Key), DateTime> _queue = new();
    private readonly HashSet<(ClusterController Controller, string Key, DateTime Due)> _scheduled = [];

    public int Count => _queue.Count;

    public DateTime? NextDue => _queue.TryPeek(out _, out var due) ? due : null;

    public void Schedule(ClusterController controller, string key, DateTime dueUtc)
    {
        if (_scheduled.Add((controller, key, dueUtc)))
        {
            _queue.Enqueue((controller, key), dueUtc);
        }
    }

    /// <summary>Marks every key due at or before <paramref name="nowUtc"/> dirty; returns how many fired.</summary>
    public int FireDue(DateTime nowUtc)
    {
        var fired = 0;
        while (_queue.TryPeek(out var item, out var due) && due <= nowUtc)
        {
            _queue.Dequeue();
            _scheduled.Remove((item.Controller, item.Key, due));
            item.Controller.MarkDirty(item.Key);
            fired++;
        }

        return fired;
    }
}
