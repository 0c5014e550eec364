namespace Spotalis.Simulation;

/// <summary>A spot node the provider took away.</summary>
public sealed record InterruptionRecord(int AtSeconds, string Node, string Pool);
