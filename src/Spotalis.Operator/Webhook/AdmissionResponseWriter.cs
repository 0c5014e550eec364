using System.Buffers;
using System.Text.Json;

namespace Spotalis.Operator.Webhook;

/// <summary>Writes the <c>admission.k8s.io/v1</c> AdmissionReview response; every answer allows the pod.</summary>
internal static class AdmissionResponseWriter
{
    public static byte[] Allow(string uid, byte[]? patch)
    {
        var buffer = new ArrayBufferWriter<byte>(patch is null ? 160 : 200 + (patch.Length * 4 / 3));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", AdmissionReviewReader.ApiVersion);
            writer.WriteString("kind", "AdmissionReview");
            writer.WriteStartObject("response");
            writer.WriteString("uid", uid);
            writer.WriteBoolean("allowed", true);
            if (patch is not null)
            {
                writer.WriteString("patchType", "JSONPatch");
                writer.WriteBase64String("patch", patch);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
