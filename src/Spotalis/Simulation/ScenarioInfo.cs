namespace Spotalis.Simulation;

/// <summary>Which scenario ran and how it was stepped.</summary>
public sealed record ScenarioInfo(string Name, string Description, string Duration, string Step, int DurationSeconds);
