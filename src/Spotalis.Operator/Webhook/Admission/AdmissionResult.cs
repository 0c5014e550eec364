namespace Spotalis.Operator.Webhook.Admission;

/// <summary>
/// What the admission endpoint answers: HTTP status, body (an AdmissionReview JSON for 200, a plain-text message
/// for 400) and why, for logs and tests.
/// </summary>
public sealed record AdmissionResult(int StatusCode, byte[] Body, AdmissionResultKind Kind, string Reason)
{
    public string ContentType => StatusCode == 200 ? "application/json" : "text/plain; charset=utf-8";

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
