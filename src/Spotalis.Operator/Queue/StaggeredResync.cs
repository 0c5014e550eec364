using Spotalis.Core.Timing;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Queue;

/// <summary>
/// The periodic resync, spread: every <see cref="ResyncSpread.SlotLength"/> it queues the workloads of the next slot
/// (<see cref="ResyncSpread.SlotOf"/>), so each workload is looked at once per interval and never all at once.
/// </summary>
public sealed class StaggeredResync(TimeSpan interval, TimeProvider time, Func<IEnumerable<WorkloadRef>> workloads, Action<WorkloadRef> enqueue)
{
    private readonly int _slots = ResyncSpread.Slots(interval);

    /// <summary>Called after each slot was queued (checks that are due about once per slot).</summary>
    public event Action? Ticked;

    /// <summary>
    /// Queues the workloads of one slot per slot length until cancelled. Slots follow the clock, not the ticks: ticks
    /// a busy process coalesced are caught up, so no workload misses its resync.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var slotLength = ResyncSpread.SlotLength(interval);
        using var timer = new PeriodicTimer(slotLength, time);
        var started = time.GetUtcNow();
        var done = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var due = (time.GetUtcNow() - started).Ticks / slotLength.Ticks;
                for (var tick = Math.Max(done + 1, due - _slots + 1); tick <= due; tick++)
                {
                    EnqueueSlot((int)((tick - 1) % _slots));
                }

                done = Math.Max(done, due);
                Ticked?.Invoke();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>Queues the workloads whose slot is <paramref name="slot"/>.</summary>
    public void EnqueueSlot(int slot)
    {
        foreach (var workload in workloads())
        {
            if (ResyncSpread.SlotOf(_slots, workload.Kind, workload.Namespace, workload.Name) == slot)
            {
                enqueue(workload);
            }
        }
    }
}
