namespace Spotalis.Views;

/// <summary>One managed workload as `spotalis status` and the demo show it.</summary>
/// <param name="State">Balanced, Rebalancing, Fallback, BlockedByPdb, WaitingForCapacity, PlacementNotSteered, WaitingForWindow, ReadOnly, InvalidPolicy or Disabled.</param>
public sealed record WorkloadStatusRow(
    string Namespace,
    string Name,
    string Kind,
    int Replicas,
    int SpotPercentage,
    int MinOnDemand,
    int DesiredSpot,
    int DesiredOnDemand,
    int ActualSpot,
    int ActualOnDemand,
    int Pending,
    string State,
    string Reason);
