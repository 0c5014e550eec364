namespace Spotalis.Simulator.Cluster;

/// <summary>What the simulated nodes have cost so far: node-hours times each pool's hourly price.</summary>
public sealed record CostReport(decimal TotalCost, decimal SpotCost, decimal OnDemandCost, double NodeHours, IReadOnlyList<PoolCost> Pools);

/// <summary>One pool's share of the bill.</summary>
public sealed record PoolCost(string Pool, NodeCapacityType CapacityType, decimal HourlyPrice, double NodeHours, decimal Cost, int NodesNow);
