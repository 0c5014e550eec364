namespace Spotalis.Simulation;

/// <summary>Everything a what-if run measured; written as summary.json and rendered into report.html.</summary>
/// <remarks>Every time is cluster time (seconds from the start of the run), so one seed always gives the same summary.</remarks>
public sealed record SimulationSummary(
    int SchemaVersion,
    ScenarioInfo Scenario,
    int Seed,
    VersionInfo Versions,
    RunOutcome Outcome,
    string? FailureReason,
    IReadOnlyList<PhaseRecord> Phases,
    int SampleIntervalSeconds,
    IReadOnlyList<WorkloadResult> Workloads,
    IReadOnlyList<PoolResult> NodePools,
    CostSeries Cost,
    IReadOnlyList<InterruptionRecord> Interruptions,
    IReadOnlyList<OutageRecord> Outages,
    RunTotals Totals,
    HypothesisResult? Hypothesis)
{
    /// <summary>How many Kubernetes Events the operator recorded, by reason.</summary>
    public IReadOnlyDictionary<string, int> OperatorEvents { get; init; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    /// <summary>How to run it again; null when the summary was not made from a scenario file.</summary>
    public ReproduceInfo? Reproduce { get; init; }
}
