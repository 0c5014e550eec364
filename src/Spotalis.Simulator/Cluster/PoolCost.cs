namespace Spotalis.Simulator.Cluster;

/// <summary>One pool's share of the bill.</summary>
public sealed record PoolCost(string Pool, NodeCapacityType CapacityType, decimal HourlyPrice, double NodeHours, decimal Cost, int NodesNow);
