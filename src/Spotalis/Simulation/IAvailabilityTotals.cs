namespace Spotalis.Simulation;

/// <summary>
/// The measurements a run and each of its workloads both report (see <see cref="Scenarios.ScenarioMetrics"/>), so a
/// success criterion reads them the same way for the whole run and for one workload.
/// </summary>
public interface IAvailabilityTotals
{
    int Evictions { get; }

    double FallbackMinutes { get; }

    int? MinReadyReplicas { get; }

    double? MinReadyPercent { get; }

    int FloorViolations { get; }

    double? TimeToConvergeMinutes { get; }

    double PendingPodMinutes { get; }

    double? SpotSharePercent { get; }
}
