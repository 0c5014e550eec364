using System.Text.Json;

namespace Spotalis.Operator.Webhook.Admission;

/// <summary>
/// The parts of an <c>admission.k8s.io/v1</c> AdmissionReview request the webhook reads. <see cref="Object"/> points
/// into the parsed document and is only valid while that document is alive.
/// </summary>
internal readonly record struct AdmissionReviewRequest(
    string Uid,
    string Operation,
    string Group,
    string Version,
    string Kind,
    string Namespace,
    bool DryRun,
    JsonElement Object)
{
    public bool IsPodCreate =>
        Operation == "CREATE" && Kind == "Pod" && Group.Length == 0 && Version == "v1" &&
        Object.ValueKind == JsonValueKind.Object;
}
