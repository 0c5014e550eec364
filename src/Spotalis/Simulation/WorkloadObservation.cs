namespace Spotalis.Simulation;

/// <summary>
/// One workload as the cluster shows it at one step. Spot/OnDemand count scheduled, non-terminating pods by
/// their node's capacity type; Pending counts pods not yet on a node; Fallback counts running fallback pods.
/// <see cref="SlotCostPerHour"/> is what the pod slots the workload's scheduled pods occupy cost per hour (each node's
/// price divided by its pod slots).
/// </summary>
public sealed record WorkloadObservation(
    string Key,
    int Desired,
    int DesiredSpot,
    int DesiredOnDemand,
    int MinOnDemand,
    int Spot,
    int OnDemand,
    int Pending,
    int ReadySpot,
    int ReadyOnDemand,
    int Fallback,
    double SlotCostPerHour = 0)
{
    public int Ready => ReadySpot + ReadyOnDemand;

    /// <summary>True when every desired replica is Ready on the capacity type the policy wants and nothing is pending.</summary>
    public bool Converged => ReadySpot == DesiredSpot && ReadyOnDemand == DesiredOnDemand && Pending == 0 && Spot + OnDemand == Desired;
}
