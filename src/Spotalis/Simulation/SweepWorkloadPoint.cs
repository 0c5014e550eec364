namespace Spotalis.Simulation;

/// <summary>One workload at one sweep point: whether it met its availability criteria, and what it cost and saved.</summary>
/// <param name="Unmet">The criteria it did not meet, each with the measured value (empty when <paramref name="Met"/>).</param>
public sealed record SweepWorkloadPoint(
    string Workload,
    bool Met,
    double? SavingsPercent,
    double Cost,
    double? SpotSharePercent,
    int? MinReadyReplicas,
    double? MinReadyPercent,
    int FloorViolations,
    IReadOnlyList<string> Unmet);
