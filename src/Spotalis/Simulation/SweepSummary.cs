namespace Spotalis.Simulation;

/// <summary>What a sweep measured and recommends; written as sweep.json and rendered into the sweep's report.html.</summary>
/// <param name="MinOnDemands">The floors tried, or null when every workload kept its own floor.</param>
/// <param name="Criteria">The availability criteria each workload was held to, as text.</param>
public sealed record SweepSummary(
    int SchemaVersion,
    ScenarioInfo Scenario,
    int Seed,
    VersionInfo Versions,
    IReadOnlyList<int> SpotPercentages,
    IReadOnlyList<int>? MinOnDemands,
    IReadOnlyList<string> Criteria,
    IReadOnlyList<SweepPoint> Points,
    IReadOnlyList<WorkloadRecommendation> Recommendations)
{
    public ReproduceInfo? Reproduce { get; init; }
}
