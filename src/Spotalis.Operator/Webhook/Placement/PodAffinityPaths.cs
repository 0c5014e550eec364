using System.Text.Json;

namespace Spotalis.Operator.Webhook.Placement;

/// <summary>Navigation to <c>spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution</c>.</summary>
internal static class PodAffinityPaths
{
    public const string Required = "requiredDuringSchedulingIgnoredDuringExecution";

    public static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) &&
        child.ValueKind != JsonValueKind.Null
            ? child
            : default;

    public static JsonElement RequiredTerms(JsonElement spec) =>
        Child(Child(Child(Child(spec, "affinity"), "nodeAffinity"), Required), "nodeSelectorTerms");
}
