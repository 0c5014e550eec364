namespace Spotalis.Simulation;

/// <summary>A node pool's price and its node count over time.</summary>
public sealed record PoolResult(string Name, string CapacityType, decimal HourlyPrice, IReadOnlyList<int> Seconds, IReadOnlyList<int> Nodes, double NodeHours, double Cost);
