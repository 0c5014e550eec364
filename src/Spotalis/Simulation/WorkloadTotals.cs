namespace Spotalis.Cli.Simulation;

/// <summary>One workload's measurements; null where the run gave no data (e.g. it never converged).</summary>
public sealed record WorkloadTotals(
    int Evictions,
    double FallbackMinutes,
    int? MinReadyReplicas,
    double? MinReadyPercent,
    int FloorViolations,
    double? TimeToConvergeMinutes,
    double PendingPodMinutes,
    double? SpotSharePercent);
