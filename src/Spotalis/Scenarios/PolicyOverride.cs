using Spotalis.Core.Capacity;

namespace Spotalis.Scenarios;

/// <summary>
/// Sets every workload's spot percentage and/or on-demand floor, as if its annotations said so: the command-line
/// `--spot-percentage`/`--min-on-demand` and each point of a sweep. Null keeps what the scenario file says.
/// </summary>
public sealed record PolicyOverride(int? SpotPercentage, int? MinOnDemand)
{
    public static PolicyOverride None { get; } = new(null, null);

    public bool IsEmpty => SpotPercentage is null && MinOnDemand is null;

    public Scenario Apply(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (IsEmpty)
        {
            return scenario;
        }

        return scenario with { Workloads = scenario.Workloads.Select(Apply).ToList() };
    }

    private WorkloadSpec Apply(WorkloadSpec workload)
    {
        var annotations = new Dictionary<string, string>(workload.Annotations, StringComparer.Ordinal);
        if (SpotPercentage is { } spot)
        {
            annotations[SpotalisKeys.SpotPercentage] = spot.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (MinOnDemand is { } floor)
        {
            annotations[SpotalisKeys.MinOnDemand] = floor.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return workload with { Annotations = annotations };
    }
}
