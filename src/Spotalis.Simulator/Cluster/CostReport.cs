namespace Spotalis.Simulator.Cluster;

/// <summary>What the simulated nodes have cost so far: node-hours times each pool's hourly price.</summary>
public sealed record CostReport(decimal TotalCost, decimal SpotCost, decimal OnDemandCost, double NodeHours, IReadOnlyList<PoolCost> Pools);
