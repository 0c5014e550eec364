namespace Spotalis.Simulation;

/// <summary>The code that produced a summary.</summary>
public sealed record VersionInfo(string Spotalis, string Commit, string Runtime);
