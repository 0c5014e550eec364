namespace Spotalis.Scenarios;

/// <summary>A measured quantity a success criterion can name.</summary>
/// <param name="PerWorkload">True when a criterion may narrow it to one workload.</param>
public sealed record ScenarioMetric(string Name, string Unit, string Description, bool PerWorkload);
