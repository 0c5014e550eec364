namespace Spotalis.Operator.Reconciliation;

/// <summary>How a reconcile ended and when the workload should be looked at again.</summary>
/// <param name="Result">Success, requeue or error (labelled in <c>spotalis_reconcile_total</c>).</param>
/// <param name="RequeueAfter">Look again after this delay; null = on the next change or periodic resync.</param>
public sealed record ReconcileResult(ReconcileOutcome Result, TimeSpan? RequeueAfter, WorkloadEvaluation Evaluation);
