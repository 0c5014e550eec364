namespace Spotalis.Core.Planning;

/// <summary>The planner's answer: an outcome, the action (for <see cref="PlanOutcome.Act"/> and <see cref="PlanOutcome.ReadOnly"/>), and a reason for users.</summary>
public sealed record RebalancePlan(PlanOutcome Outcome, EvictionAction? Action, string Reason, ActualSplit Actual)
{
    /// <summary>For <see cref="PlanOutcome.Cooldown"/>: the move the plan makes once the cooldown ends.</summary>
    public EvictionAction? WaitingMove { get; init; }

    /// <summary>The eviction this plan makes now or after its cooldown; null when it moves nothing.</summary>
    public EvictionAction? NextMove => Action ?? WaitingMove;
}
