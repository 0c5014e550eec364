namespace Spotalis.Operator.Reconciliation;

/// <summary>How a reconcile ended; <see cref="ReconcileOutcomes.Label"/> is its <c>spotalis_reconcile_total</c> label.</summary>
public enum ReconcileOutcome
{
    /// <summary>Done; look again on the next change, resync or the given delay.</summary>
    Success,

    /// <summary>An action was taken or refused; look again after the given delay.</summary>
    Requeue,

    /// <summary>Failed; retried with the work queue's backoff.</summary>
    Error,
}
