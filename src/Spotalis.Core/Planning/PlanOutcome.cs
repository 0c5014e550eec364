namespace Spotalis.Core.Planning;

/// <summary>What the planner decided for a workload.</summary>
public enum PlanOutcome
{
    /// <summary>Evict <see cref="RebalancePlan.Action"/> now.</summary>
    Act,

    /// <summary>The actual split equals the desired split.</summary>
    Balanced,

    /// <summary>Pods are still terminating, starting or missing; the disruption budget is used up.</summary>
    DisruptionInFlight,

    /// <summary>The last disruption (an eviction, or the newest pod of the workload) was too recent.</summary>
    Cooldown,

    /// <summary>The disruption window is closed.</summary>
    OutsideWindow,

    /// <summary>The only possible eviction would leave fewer Ready on-demand pods than the floor.</summary>
    WouldBreakFloor,

    /// <summary>Read-only mode: <see cref="RebalancePlan.Action"/> is what would be done.</summary>
    ReadOnly,

    /// <summary>The workload is rolling out; its controller is replacing pods anyway.</summary>
    RolloutInProgress,

    /// <summary>Evictions pause: replacements did not land where the split needs them (invariant 8).</summary>
    NotSteered,

    /// <summary>The split is off but no pod may be moved (do-not-disrupt, unknown capacity, spot unavailable).</summary>
    NoEligiblePod,
}
