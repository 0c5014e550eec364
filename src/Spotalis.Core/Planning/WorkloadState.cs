namespace Spotalis.Core.Planning;

/// <summary>The state of a workload as shown in metrics, <c>spotalis status</c> and logs.</summary>
public enum WorkloadState
{
    /// <summary>The actual split is the desired one and every pod is scheduled.</summary>
    Balanced,

    /// <summary>Pods are being moved toward the desired split.</summary>
    Rebalancing,

    /// <summary>Spot is unavailable: replicas meant for spot run on on-demand until spot returns and is reclaimed.</summary>
    Fallback,

    /// <summary>A PodDisruptionBudget refuses the next eviction.</summary>
    BlockedByPdb,

    /// <summary>Pods of the workload cannot be scheduled (no capacity of their type yet); Spotalis waits.</summary>
    WaitingForCapacity,

    /// <summary>Evictions are paused: replacements did not land where the split needs them (see PlacementNotSteered).</summary>
    PlacementNotSteered,
    WaitingForWindow,
    ReadOnly,
    InvalidPolicy,
    Disabled,
}
