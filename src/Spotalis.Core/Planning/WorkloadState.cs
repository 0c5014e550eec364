namespace Spotalis.Core;

/// <summary>The state of a workload as shown in metrics, <c>spotalis status</c> and logs.</summary>
public enum WorkloadState
{
    Balanced,
    Rebalancing,
    Fallback,
    BlockedByPdb,
    WaitingForWindow,
    ReadOnly,
    InvalidPolicy,
    Disabled,
}
