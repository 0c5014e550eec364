namespace Spotalis.Simulation;

/// <summary>
/// The run's headline numbers (see <see cref="Scenarios.ScenarioMetrics"/> for definitions). The baseline prices every
/// node-hour of the run as on-demand capacity of the same size, so savings compare like with like.
/// </summary>
public sealed record RunTotals(
    double Cost,
    double BaselineCost,
    double? SavingsPercent,
    int SpotInterruptions,
    int Evictions,
    double FallbackMinutes,
    int? MinReadyReplicas,
    double? MinReadyPercent,
    int FloorViolations,
    double? TimeToConvergeMinutes,
    double PendingPodMinutes,
    double? SpotSharePercent) : IAvailabilityTotals;
