namespace Spotalis.Simulation;

/// <summary>A window during which a pool could not provide capacity.</summary>
public sealed record OutageRecord(string Pool, int StartSeconds, int EndSeconds);
