using Spotalis.Simulator.Cluster.Controllers;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>Capacity outages started and ended by hand: while one lasts, the pool launches nothing.</summary>
internal sealed class CapacityOutages(ControllerContext context, NodeInventory inventory, INodePoolWorkQueue queue)
{
    public void Start(string poolName, TimeSpan? duration)
    {
        var pool = inventory.RequirePool(poolName);
        var now = context.Now;
        lock (context.State.Sync)
        {
            pool.OutageUntil = duration is { } d ? now + d : DateTime.MaxValue;
            queue.Enqueue(NodePoolWork.WriteStatus);
            if (duration is not null)
            {
                queue.EnqueueAt(NodePoolWork.Provision, pool.OutageUntil.Value);
                queue.EnqueueAt(NodePoolWork.WriteStatus, pool.OutageUntil.Value);
            }
        }
    }

    public void End(string poolName)
    {
        var pool = inventory.RequirePool(poolName);
        lock (context.State.Sync)
        {
            pool.OutageUntil = null;
            queue.Enqueue(NodePoolWork.Provision);
            queue.Enqueue(NodePoolWork.WriteStatus);
        }
    }

    public bool IsInOutage(string poolName)
    {
        var pool = inventory.RequirePool(poolName);
        lock (context.State.Sync)
        {
            return pool.InOutage(context.Now);
        }
    }
}
