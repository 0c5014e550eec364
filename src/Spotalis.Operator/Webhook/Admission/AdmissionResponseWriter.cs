namespace Spotalis.Operator.Webhook.Admission;

/// <summary>Writes the <c>admission.k8s.io/v1</c> AdmissionReview response; every answer allows the pod.</summary>
internal static class AdmissionResponseWriter
{
    [ThreadStatic]
    private static ReusableJsonBuffer? ThreadBuffer;

    public static byte[] Allow(string uid) => Write(uid, default, hasPatch: false);

    public static byte[] Allow(string uid, ReadOnlySpan<byte> patch) => Write(uid, patch, hasPatch: true);

    private static byte[] Write(string uid, ReadOnlySpan<byte> patch, bool hasPatch)
    {
        var buffer = ThreadBuffer ??= new ReusableJsonBuffer();
        var writer = buffer.Start();
        writer.WriteStartObject();
        writer.WriteString("apiVersion", AdmissionReviewReader.ApiVersion);
        writer.WriteString("kind", "AdmissionReview");
        writer.WriteStartObject("response");
        writer.WriteString("uid", uid);
        writer.WriteBoolean("allowed", true);
        if (hasPatch)
        {
            writer.WriteString("patchType", "JSONPatch");
            writer.WriteBase64String("patch", patch);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        return buffer.Finish().ToArray();
    }
}
