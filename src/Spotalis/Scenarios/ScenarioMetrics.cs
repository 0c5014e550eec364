namespace Spotalis.Scenarios;

/// <summary>Every metric a hypothesis may use; the names are what scenario files and summary.json spell.</summary>
public static class ScenarioMetrics
{
    public const string SavingsPercent = "savingsPercent";
    public const string Cost = "cost";
    public const string BaselineCost = "baselineCost";
    public const string SpotInterruptions = "spotInterruptions";
    public const string Evictions = "evictions";
    public const string FallbackMinutes = "fallbackMinutes";
    public const string MinReadyReplicas = "minReadyReplicas";
    public const string MinReadyPercent = "minReadyPercent";
    public const string FloorViolations = "floorViolations";
    public const string TimeToConvergeMinutes = "timeToConvergeMinutes";
    public const string PendingPodMinutes = "pendingPodMinutes";
    public const string SpotSharePercent = "spotSharePercent";

    public static IReadOnlyList<ScenarioMetric> All { get; } =
    [
        new(SavingsPercent, "%", "cost saved against running the same pods on on-demand nodes only", false),
        new(Cost, "$", "cost of every node-hour the run used", false),
        new(BaselineCost, "$", "cost of the same pod-hours on on-demand nodes only", false),
        new(SpotInterruptions, "count", "spot nodes the provider took away", false),
        new(Evictions, "count", "pods the operator evicted to rebalance", true),
        new(FallbackMinutes, "min", "minutes a workload ran fallback pods (summed over workloads)", true),
        new(MinReadyReplicas, "replicas", "lowest Ready replica count seen after the workload first converged", true),
        new(MinReadyPercent, "%", "lowest Ready share of desired replicas seen after the workload first converged", true),
        new(FloorViolations, "count", "times Ready on-demand replicas fell below the on-demand floor after convergence", true),
        new(TimeToConvergeMinutes, "min", "minutes until the actual split first matched the desired split (slowest workload)", true),
        new(PendingPodMinutes, "pod-min", "minutes pods spent Pending, summed over pods", true),
        new(SpotSharePercent, "%", "average share of Ready replicas running on spot", true),
    ];

    public static ScenarioMetric? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
