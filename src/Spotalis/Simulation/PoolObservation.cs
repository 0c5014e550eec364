namespace Spotalis.Simulation;

/// <summary>How many nodes a pool had at one step (the nodes that cost money: provisioning or running).</summary>
public sealed record PoolObservation(string Pool, int Nodes);
