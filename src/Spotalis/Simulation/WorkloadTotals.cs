namespace Spotalis.Simulation;

/// <summary>One workload's measurements; null where the run gave no data (e.g. it never converged).</summary>
/// <remarks>
/// <see cref="Cost"/> charges the workload for the pod slots its scheduled pods occupied (node price / pod slots);
/// <see cref="BaselineCost"/> prices the same pod-hours at the cheapest on-demand slot. Idle slots are charged to no workload.
/// </remarks>
public sealed record WorkloadTotals(
    int Evictions,
    double FallbackMinutes,
    int? MinReadyReplicas,
    double? MinReadyPercent,
    int FloorViolations,
    double? TimeToConvergeMinutes,
    double PendingPodMinutes,
    double? SpotSharePercent,
    double PodHours,
    double Cost,
    double BaselineCost,
    double? SavingsPercent) : IAvailabilityTotals;
