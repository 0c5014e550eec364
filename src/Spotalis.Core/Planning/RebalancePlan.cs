namespace Spotalis.Core;

/// <summary>The planner's answer: an outcome, the action (for <see cref="PlanOutcome.Act"/> and <see cref="PlanOutcome.ReadOnly"/>), and a reason for users.</summary>
public sealed record RebalancePlan(PlanOutcome Outcome, EvictionAction? Action, string Reason, ActualSplit Actual);
