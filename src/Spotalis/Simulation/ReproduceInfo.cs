namespace Spotalis.Simulation;

/// <summary>
/// How to run the same experiment again: the command line (without output options), the seed, and the scenario file
/// by name, SHA-256 and full text. Nothing in it depends on when or where the run happened, so one seed still gives
/// one summary.
/// </summary>
/// <param name="ScenarioFile">The path as given, relative to the working directory when under it, else the file name.</param>
public sealed record ReproduceInfo(string Command, int Seed, string ScenarioFile, string ScenarioSha256, string ScenarioYaml);
