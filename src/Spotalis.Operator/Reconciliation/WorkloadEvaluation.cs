using Spotalis.Core.Fallback;
using Spotalis.Core.Planning;
using Spotalis.Core.Policy;
using Spotalis.Core.Split;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// Everything the reconciler concluded about one workload at one instant, without acting on it. Used by
/// <c>spotalis status</c> / <c>explain</c> and by the reconciler itself.
/// </summary>
/// <param name="Managed">False when the workload is missing, not opted in, or outside the namespace scope/selector. An
/// unreadable <c>spotalis.io/enabled</c> value counts as managed, in state InvalidPolicy, so that it is reported.</param>
/// <param name="Policy">The parsed policy (null when the workload is not in the cache).</param>
/// <param name="Plan">The planner's next step (null when not managed or the policy is invalid).</param>
/// <param name="FallbackReplicas">Pods placed on on-demand while spot was unavailable.</param>
/// <param name="DeletionCosts">Pods whose pod-deletion-cost should change.</param>
/// <param name="NextCheckAt">When a time-based condition (cooldown, window, fallback, reclaim) next changes, if any.</param>
public sealed record WorkloadEvaluation(
    WorkloadRef Workload,
    WorkloadSnapshot? Snapshot,
    bool Managed,
    PolicyResult? Policy,
    DesiredSplit Desired,
    ActualSplit Actual,
    WorkloadState State,
    string Reason,
    RebalancePlan? Plan,
    FallbackStatus? Fallback,
    int FallbackReplicas,
    IReadOnlyList<PodState> Pods,
    IReadOnlyList<DeletionCostChange> DeletionCosts,
    DateTimeOffset? NextCheckAt);

/// <summary>A pod whose <c>controller.kubernetes.io/pod-deletion-cost</c> should be set to <paramref name="Cost"/>.</summary>
public sealed record DeletionCostChange(string PodName, int? CurrentCost, int Cost);
