namespace Spotalis.Simulation;

/// <summary>
/// The highest spot percentage at which a workload met its availability criteria at that share and at every lower
/// share of the grid (when floors are swept: of the floors reaching it, the one that saves most, the highest of equal
/// savings); null when even the lowest failed.
/// </summary>
/// <param name="FirstUnmet">The lowest share that failed above the recommendation and why; null when none failed.</param>
public sealed record WorkloadRecommendation(
    string Workload,
    int CurrentSpotPercentage,
    int CurrentMinOnDemand,
    int? SpotPercentage,
    int? MinOnDemand,
    double? SavingsPercent,
    string? FirstUnmet);
