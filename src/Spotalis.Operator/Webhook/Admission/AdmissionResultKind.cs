namespace Spotalis.Operator.Webhook.Admission;

/// <summary>The <c>result</c> label of <c>spotalis_webhook_requests_total</c>.</summary>
public enum AdmissionResultKind
{
    /// <summary>Allowed with a placement patch.</summary>
    Patched,

    /// <summary>Allowed untouched on purpose (not a managed pod, not a CREATE, user constraint, already placed).</summary>
    Skipped,

    /// <summary>Allowed untouched because something failed inside the webhook (never blocks a pod).</summary>
    Error,

    /// <summary>The body was not a usable AdmissionReview: HTTP 400.</summary>
    Invalid,
}
