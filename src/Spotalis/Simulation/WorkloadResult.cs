namespace Spotalis.Simulation;

/// <summary>One workload's policy, time series and measurements.</summary>
public sealed record WorkloadResult(
    string Namespace,
    string Name,
    string Kind,
    int SpotPercentage,
    int MinOnDemand,
    bool PolicyValid,
    WorkloadSeries Series,
    WorkloadTotals Totals)
{
    public string Key => $"{Namespace}/{Name}";
}
