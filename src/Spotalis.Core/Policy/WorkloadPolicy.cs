namespace Spotalis.Core.Policy;

/// <summary>A workload's validated Spotalis policy.</summary>
/// <param name="Enabled">Whether Spotalis manages the workload.</param>
/// <param name="SpotPercentage">Share of replicas to run on spot, 0-100.</param>
/// <param name="MinOnDemand">Floor of on-demand replicas, always honoured.</param>
/// <param name="FallbackAfter">Per-workload override of the fallback delay; null = use the operator configuration.</param>
/// <param name="DisruptionBudget">Pods that may be disrupted at once, at least 1.</param>
public sealed record WorkloadPolicy(bool Enabled, int SpotPercentage, int MinOnDemand, TimeSpan? FallbackAfter, int DisruptionBudget)
{
    /// <summary>Per-workload disruption window schedule (workload annotation, else namespace label); null = the global window.</summary>
    public string? DisruptionSchedule { get; init; }

    /// <summary>How long the per-workload window stays open; set together with <see cref="DisruptionSchedule"/>.</summary>
    public TimeSpan DisruptionDuration { get; init; }

    /// <summary>Where the per-workload window came from ("workload annotations" or "namespace labels"); null = global.</summary>
    public string? DisruptionWindowSource { get; init; }

    public const int DefaultSpotPercentage = 0;
    public const int DefaultMinOnDemand = 0;
    public const int DefaultDisruptionBudget = 1;

    /// <summary>Enabled, everything on on-demand: the fail-safe policy.</summary>
    public static WorkloadPolicy AllOnDemand { get; } =
        new(true, DefaultSpotPercentage, DefaultMinOnDemand, null, DefaultDisruptionBudget);

    /// <summary>Not managed by Spotalis.</summary>
    public static WorkloadPolicy Disabled { get; } =
        new(false, DefaultSpotPercentage, DefaultMinOnDemand, null, DefaultDisruptionBudget);
}
