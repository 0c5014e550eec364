namespace Spotalis.Operator.Reconciliation;

/// <summary>The metric labels of <see cref="ReconcileOutcome"/> (public contract of <c>spotalis_reconcile_total</c>).</summary>
public static class ReconcileOutcomes
{
    public static string Label(this ReconcileOutcome outcome) => outcome switch
    {
        ReconcileOutcome.Success => "success",
        ReconcileOutcome.Requeue => "requeue",
        ReconcileOutcome.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
