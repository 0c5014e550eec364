using System.Text.Json;

namespace Spotalis.Operator.Webhook.Admission;

/// <summary>Validates the envelope of an AdmissionReview; every rejection names what is wrong.</summary>
internal static class AdmissionReviewReader
{
    public const string ApiVersion = "admission.k8s.io/v1";

    public static bool TryRead(JsonElement root, out AdmissionReviewRequest request, out string error)
    {
        request = default;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"expected a JSON object (AdmissionReview), got {root.ValueKind}";
            return false;
        }

        var apiVersion = GetString(root, "apiVersion");
        if (apiVersion != ApiVersion)
        {
            error = $"unsupported apiVersion '{apiVersion}': this webhook speaks {ApiVersion} only";
            return false;
        }

        var kind = GetString(root, "kind");
        if (kind != "AdmissionReview")
        {
            error = $"unsupported kind '{kind}': expected AdmissionReview";
            return false;
        }

        if (!root.TryGetProperty("request", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            error = "AdmissionReview has no 'request' object";
            return false;
        }

        var uid = GetString(body, "uid");
        if (string.IsNullOrEmpty(uid))
        {
            error = "AdmissionReview request has no 'uid'";
            return false;
        }

        var operation = GetString(body, "operation");
        if (string.IsNullOrEmpty(operation))
        {
            error = "AdmissionReview request has no 'operation'";
            return false;
        }

        string group = "", version = "", kindName = "";
        if (body.TryGetProperty("kind", out var gvk) && gvk.ValueKind == JsonValueKind.Object)
        {
            group = GetString(gvk, "group") ?? "";
            version = GetString(gvk, "version") ?? "";
            kindName = GetString(gvk, "kind") ?? "";
        }

        var dryRun = body.TryGetProperty("dryRun", out var dry) && dry.ValueKind == JsonValueKind.True;
        body.TryGetProperty("object", out var obj);
        request = new AdmissionReviewRequest(
            uid, operation, group, version, kindName, GetString(body, "namespace") ?? "", dryRun, obj);
        error = "";
        return true;
    }

    internal static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) &&
        value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
