namespace Spotalis.Simulation;

/// <summary>One run of a sweep: every workload set to <see cref="SpotPercentage"/> (and <see cref="MinOnDemand"/> when the floors are swept).</summary>
/// <param name="Directory">Where the run's summary.json and report.html are, relative to the sweep's output folder.</param>
public sealed record SweepPoint(
    int SpotPercentage,
    int? MinOnDemand,
    RunOutcome Outcome,
    string? FailureReason,
    double? SavingsPercent,
    double Cost,
    double BaselineCost,
    string Directory,
    IReadOnlyList<SweepWorkloadPoint> Workloads);
