namespace Spotalis.Operator.Reconciliation;

/// <summary>How a reconcile ended and when the workload should be looked at again.</summary>
/// <param name="Result">success, requeue or error (the <c>spotalis_reconcile_total</c> label).</param>
/// <param name="RequeueAfter">Look again after this delay; null = on the next change or periodic resync.</param>
public sealed record ReconcileResult(string Result, TimeSpan? RequeueAfter, WorkloadEvaluation Evaluation)
{
    public const string Success = "success";
    public const string Requeue = "requeue";
    public const string Error = "error";
}
