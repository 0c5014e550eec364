using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>
/// An object of a kind defined by a CustomResourceDefinition, kept as JSON: <c>spec</c> and <c>status</c> as
/// trees (so generation and the status subresource work as for built-in kinds) and every other top-level field as it came.
/// </summary>
public sealed class CustomObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonNode? Spec { get; set; }

    [JsonPropertyName("status")]
    public JsonNode? Status { get; set; }

    /// <summary>Top-level fields other than the four above (e.g. <c>data</c>), kept unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherFields { get; set; }

    /// <summary>The API group of <see cref="ApiVersion"/> (the part before the slash).</summary>
    [JsonIgnore]
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
}
