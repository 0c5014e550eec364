using Spotalis.Core.Capacity;

namespace Spotalis.Core.Planning;

/// <summary>What the planner knows about one pod of a workload.</summary>
/// <param name="Name">Pod name.</param>
/// <param name="CapacityType">From its node when scheduled, else from its <c>spotalis.io/capacity-type</c> label; null = unknown.</param>
/// <param name="Ready">The pod's Ready condition is true.</param>
/// <param name="Scheduled">The pod is bound to a node.</param>
/// <param name="Failed">Phase Failed.</param>
/// <param name="Succeeded">Phase Succeeded.</param>
/// <param name="Terminating">Deletion has started (deletionTimestamp set).</param>
/// <param name="NodeLeaving">Its node is cordoned or carries a termination taint.</param>
/// <param name="DoNotDisrupt">Annotated <c>karpenter.sh/do-not-disrupt: "true"</c>: never evicted by Spotalis.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="Ordinal">StatefulSet ordinal, null for other workloads.</param>
/// <param name="CurrentRevision">Runs the workload's current template revision.</param>
public sealed record PodState(
    string Name,
    CapacityType? CapacityType,
    bool Ready,
    bool Scheduled,
    bool Failed,
    bool Succeeded,
    bool Terminating,
    bool NodeLeaving,
    bool DoNotDisrupt,
    DateTimeOffset CreatedAt,
    int? Ordinal,
    bool CurrentRevision)
{
    /// <summary>Counts toward the workload: not finished (Failed/Succeeded) and not being deleted.</summary>
    public bool IsLive => !Failed && !Succeeded && !Terminating;
}
