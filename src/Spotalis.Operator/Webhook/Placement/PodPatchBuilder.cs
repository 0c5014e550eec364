using System.Globalization;
using System.Text.Json;
using Spotalis.Core.Capacity;
using Spotalis.Core.Fallback;
using Spotalis.Core.Nodes;
using Spotalis.Operator.Webhook.Admission;

namespace Spotalis.Operator.Webhook.Placement;

/// <summary>
/// Builds the RFC 6902 JSONPatch that puts a pod on a capacity type. The steering requirements are merged into every
/// required node-affinity term (requirements within a term are ANDed, terms are ORed, so each alternative the user
/// allowed must also carry ours); nothing the pod already has is replaced.
/// </summary>
internal static class PodPatchBuilder
{
    private const string TermsPath = "/spec/affinity/nodeAffinity/" + PodAffinityPaths.Required + "/nodeSelectorTerms";

    [ThreadStatic]
    private static ReusableJsonBuffer? ThreadBuffer;

    /// <summary>The patch as UTF-8 JSON, valid until this thread builds the next one.</summary>
    /// <param name="admissionId">The admission request's uid, written as <see cref="SpotalisKeys.AdmissionId"/> (none when empty).</param>
    /// <param name="fallbackSince">When the workload fell back, if it is in fallback: the pod carries the mark so the decision survives.</param>
    public static ReadOnlySpan<byte> Build(PodAdmission pod, CapacityType capacityType, bool isFallback, int deletionCost, NodePreset preset,
        string? admissionId = null, DateTimeOffset? fallbackSince = null)
    {
        var buffer = ThreadBuffer ??= new ReusableJsonBuffer();
        var writer = buffer.Start();
        writer.WriteStartArray();
        var spec = pod.Spec;
        var steering = capacityType == CapacityType.Spot ? preset.SpotSteering : preset.OnDemandSteering;
        WriteAffinity(writer, spec, steering.RequiredNodeAffinity);
        if (capacityType == CapacityType.Spot)
        {
            WriteTolerations(writer, spec, preset.SpotTolerations);
        }

        var metadata = pod.Metadata;
        WriteMapEntries(writer, metadata, "labels", [(SpotalisKeys.CapacityType, CapacityTypes.ToLabelValue(capacityType))]);
        WriteMapEntries(
            writer,
            metadata,
            "annotations",
            [
                (SpotalisKeys.PodDeletionCost, deletionCost.ToString(CultureInfo.InvariantCulture)),
                (isFallback ? SpotalisKeys.Fallback : null, isFallback ? "true" : null),
                (string.IsNullOrEmpty(admissionId) ? null : SpotalisKeys.AdmissionId, admissionId),
                (fallbackSince is null ? null : SpotalisKeys.FallbackSince, fallbackSince is { } since ? FallbackMark.Write(since) : null),
            ]);
        writer.WriteEndArray();

        return buffer.Finish();
    }

    private static void WriteAffinity(Utf8JsonWriter writer, JsonElement spec, IReadOnlyList<LabelSelectorRequirement> requirements)
    {
        if (requirements.Count == 0)
        {
            return;
        }

        var affinity = PodAffinityPaths.Child(spec, "affinity");
        var nodeAffinity = PodAffinityPaths.Child(affinity, "nodeAffinity");
        var required = PodAffinityPaths.Child(nodeAffinity, PodAffinityPaths.Required);
        var terms = PodAffinityPaths.Child(required, "nodeSelectorTerms");

        if (affinity.ValueKind != JsonValueKind.Object)
        {
            WriteOp(writer, "add", "/spec/affinity");
            writer.WriteStartObject();
            writer.WritePropertyName("nodeAffinity");
            WriteNodeAffinity(writer, requirements);
            writer.WriteEndObject();
            writer.WriteEndObject();
            return;
        }

        if (nodeAffinity.ValueKind != JsonValueKind.Object)
        {
            WriteOp(writer, "add", "/spec/affinity/nodeAffinity");
            WriteNodeAffinity(writer, requirements);
            writer.WriteEndObject();
            return;
        }

        if (required.ValueKind != JsonValueKind.Object)
        {
            WriteOp(writer, "add", "/spec/affinity/nodeAffinity/" + PodAffinityPaths.Required);
            WriteRequired(writer, requirements);
            writer.WriteEndObject();
            return;
        }

        if (terms.ValueKind != JsonValueKind.Array || terms.GetArrayLength() == 0)
        {
            WriteOp(writer, "add", TermsPath);
            WriteTerms(writer, requirements);
            writer.WriteEndObject();
            return;
        }

        var index = 0;
        foreach (var term in terms.EnumerateArray())
        {
            var termPath = TermsPath + "/" + index.ToString(CultureInfo.InvariantCulture);
            index++;
            if (term.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var expressions = PodAffinityPaths.Child(term, "matchExpressions");
            if (expressions.ValueKind != JsonValueKind.Array)
            {
                WriteOp(writer, "add", termPath + "/matchExpressions");
                WriteRequirements(writer, requirements);
                writer.WriteEndObject();
                continue;
            }

            for (var i = 0; i < requirements.Count; i++)
            {
                if (ContainsRequirement(expressions, requirements[i]))
                {
                    continue;
                }

                WriteOp(writer, "add", termPath + "/matchExpressions/-");
                WriteRequirement(writer, requirements[i]);
                writer.WriteEndObject();
            }
        }
    }

    private static void WriteNodeAffinity(Utf8JsonWriter writer, IReadOnlyList<LabelSelectorRequirement> requirements)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(PodAffinityPaths.Required);
        WriteRequired(writer, requirements);
        writer.WriteEndObject();
    }

    private static void WriteRequired(Utf8JsonWriter writer, IReadOnlyList<LabelSelectorRequirement> requirements)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("nodeSelectorTerms");
        WriteTerms(writer, requirements);
        writer.WriteEndObject();
    }

    private static void WriteTerms(Utf8JsonWriter writer, IReadOnlyList<LabelSelectorRequirement> requirements)
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WritePropertyName("matchExpressions");
        WriteRequirements(writer, requirements);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteRequirements(Utf8JsonWriter writer, IReadOnlyList<LabelSelectorRequirement> requirements)
    {
        writer.WriteStartArray();
        for (var i = 0; i < requirements.Count; i++)
        {
            WriteRequirement(writer, requirements[i]);
        }

        writer.WriteEndArray();
    }

    private static void WriteRequirement(Utf8JsonWriter writer, LabelSelectorRequirement requirement)
    {
        writer.WriteStartObject();
        writer.WriteString("key", requirement.Key);
        writer.WriteString("operator", requirement.Operator);
        if (requirement.Values.Count > 0)
        {
            writer.WriteStartArray("values");
            for (var i = 0; i < requirement.Values.Count; i++)
            {
                writer.WriteStringValue(requirement.Values[i]);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static bool ContainsRequirement(JsonElement expressions, LabelSelectorRequirement requirement)
    {
        foreach (var expression in expressions.EnumerateArray())
        {
            if (AdmissionReviewReader.GetString(expression, "key") != requirement.Key ||
                AdmissionReviewReader.GetString(expression, "operator") != requirement.Operator)
            {
                continue;
            }

            var values = PodAffinityPaths.Child(expression, "values");
            var count = values.ValueKind == JsonValueKind.Array ? values.GetArrayLength() : 0;
            if (count != requirement.Values.Count)
            {
                continue;
            }

            var same = true;
            var i = 0;
            if (count > 0)
            {
                foreach (var value in values.EnumerateArray())
                {
                    same &= value.ValueKind == JsonValueKind.String && value.GetString() == requirement.Values[i++];
                }
            }

            if (same)
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteTolerations(Utf8JsonWriter writer, JsonElement spec, IReadOnlyList<PodToleration> tolerations)
    {
        if (tolerations.Count == 0)
        {
            return;
        }

        var existing = PodAffinityPaths.Child(spec, "tolerations");
        if (existing.ValueKind != JsonValueKind.Array)
        {
            WriteOp(writer, "add", "/spec/tolerations");
            writer.WriteStartArray();
            for (var i = 0; i < tolerations.Count; i++)
            {
                WriteToleration(writer, tolerations[i]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            return;
        }

        for (var i = 0; i < tolerations.Count; i++)
        {
            if (IsTolerated(existing, tolerations[i]))
            {
                continue;
            }

            WriteOp(writer, "add", "/spec/tolerations/-");
            WriteToleration(writer, tolerations[i]);
            writer.WriteEndObject();
        }
    }

    /// <summary>True when one of the pod's tolerations already covers <paramref name="wanted"/>.</summary>
    private static bool IsTolerated(JsonElement existing, PodToleration wanted)
    {
        foreach (var toleration in existing.EnumerateArray())
        {
            var key = AdmissionReviewReader.GetString(toleration, "key") ?? "";
            var op = AdmissionReviewReader.GetString(toleration, "operator") ?? "Equal";
            var value = AdmissionReviewReader.GetString(toleration, "value") ?? "";
            var effect = AdmissionReviewReader.GetString(toleration, "effect") ?? "";
            var effectCovers = effect.Length == 0 || effect == wanted.Effect;
            if (op == "Exists" && key.Length == 0 && effectCovers)
            {
                return true;
            }

            if (key != wanted.Key || !effectCovers)
            {
                continue;
            }

            if (op == "Exists" || (wanted.Operator != "Exists" && value == (wanted.Value ?? "")))
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteToleration(Utf8JsonWriter writer, PodToleration toleration)
    {
        writer.WriteStartObject();
        writer.WriteString("key", toleration.Key);
        writer.WriteString("operator", toleration.Operator);
        if (toleration.Operator != "Exists" && toleration.Value is not null)
        {
            writer.WriteString("value", toleration.Value);
        }

        if (toleration.Effect.Length > 0)
        {
            writer.WriteString("effect", toleration.Effect);
        }

        writer.WriteEndObject();
    }

    /// <summary>Adds the entries to <c>metadata.labels</c> or <c>metadata.annotations</c>, creating the map when absent.</summary>
    /// <summary>Adds the entries to a metadata map; entries with a null key are skipped.</summary>
    private static void WriteMapEntries(Utf8JsonWriter writer, JsonElement metadata, string map, ReadOnlySpan<(string? Key, string? Value)> entries)
    {
        var existing = PodAffinityPaths.Child(metadata, map);
        if (existing.ValueKind != JsonValueKind.Object)
        {
            WriteOp(writer, "add", "/metadata/" + map);
            writer.WriteStartObject();
            foreach (var (key, value) in entries)
            {
                if (key is not null)
                {
                    writer.WriteString(key, value);
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            return;
        }

        // "add" on an existing object member replaces its value (RFC 6902 section 4.1).
        foreach (var (key, value) in entries)
        {
            if (key is null)
            {
                continue;
            }

            WriteOp(writer, "add", "/metadata/" + map + "/" + JsonPointer.Escape(key));
            writer.WriteStringValue(value);
            writer.WriteEndObject();
        }
    }

    /// <summary>Starts an operation object and leaves it open after the <c>value</c> property name.</summary>
    private static void WriteOp(Utf8JsonWriter writer, string op, string path)
    {
        writer.WriteStartObject();
        writer.WriteString("op", op);
        writer.WriteString("path", path);
        writer.WritePropertyName("value");
    }
}
