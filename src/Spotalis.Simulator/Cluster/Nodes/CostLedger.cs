using Spotalis.Simulator.Cluster.Controllers;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>The bill: node-hours of every node (live and gone) times its pool's price, per pool and per capacity type.</summary>
internal sealed class CostLedger(ControllerContext context, NodeInventory inventory)
{
    public CostReport Cost()
    {
        lock (context.State.Sync)
        {
            var now = context.Now;
            var perPool = new List<PoolCost>();
            double totalHours = 0;
            decimal total = 0, spot = 0, onDemand = 0;
            foreach (var group in inventory.Nodes.Values.Concat(inventory.Retired).Where(n => n.Pool is not null).GroupBy(n => n.Pool!))
            {
                var hours = group.Sum(n => Math.Max(0, ((n.DeletedAt ?? now) - n.CreatedAt).TotalHours));
                var cost = decimal.Round((decimal)hours * group.Key.Options.HourlyPrice, 6);
                perPool.Add(new PoolCost(group.Key.Options.Name, group.Key.Options.CapacityType, group.Key.Options.HourlyPrice, hours, cost,
                    group.Count(n => n.DeletedAt is null)));
                totalHours += hours;
                total += cost;
                if (group.Key.Options.CapacityType == NodeCapacityType.Spot)
                {
                    spot += cost;
                }
                else
                {
                    onDemand += cost;
                }
            }

            foreach (var pool in inventory.Pools.Values.Where(p => !perPool.Any(c => c.Pool == p.Options.Name)))
            {
                perPool.Add(new PoolCost(pool.Options.Name, pool.Options.CapacityType, pool.Options.HourlyPrice, 0, 0, 0));
            }

            return new CostReport(total, spot, onDemand, totalHours, [.. perPool.OrderBy(p => p.Pool, StringComparer.Ordinal)]);
        }
    }
}
