namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// Wake-ups at a point of the cluster clock: when due, the key is marked dirty on its controller, which then
/// re-evaluates it level-triggered. Guarded by the cluster state lock.
/// </summary>
internal sealed class TimerQueue
{
    private readonly PriorityQueue<WakeUp, DateTime> _queue = new();
    private readonly HashSet<(WakeUp WakeUp, DateTime Due)> _scheduled = [];

    public int Count => _queue.Count;

    public DateTime? NextDue => _queue.TryPeek(out _, out var due) ? due : null;

    public void Schedule<TKey>(WorkQueueController<TKey> controller, TKey key, DateTime dueUtc)
        where TKey : notnull
    {
        var wakeUp = new WakeUp<TKey>(controller, key);
        if (_scheduled.Add((wakeUp, dueUtc)))
        {
            _queue.Enqueue(wakeUp, dueUtc);
        }
    }

    /// <summary>Marks every key due at or before <paramref name="nowUtc"/> dirty; returns how many fired.</summary>
    public int FireDue(DateTime nowUtc)
    {
        var fired = 0;
        while (_queue.TryPeek(out var wakeUp, out var due) && due <= nowUtc)
        {
            _queue.Dequeue();
            _scheduled.Remove((wakeUp, due));
            wakeUp.Fire();
            fired++;
        }

        return fired;
    }
}
