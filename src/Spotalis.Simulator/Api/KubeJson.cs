using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>(De)serialization with the official client's JSON options, so that the wire form matches KubernetesClient.</summary>
public static class KubeJson
{
    /// <summary>The serializer options KubernetesClient uses (camelCase, nulls omitted, Kubernetes date and quantity converters).</summary>
    public static JsonSerializerOptions Options { get; } = CaptureOptions();

    /// <summary>A deep copy made by a JSON round trip.</summary>
    public static T Clone<T>(T obj)
        where T : class => (T)Clone(obj, obj.GetType());

    /// <summary>A deep copy of <paramref name="obj"/> as <paramref name="type"/>.</summary>
    public static object Clone(object obj, Type type) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(obj, type, Options), type, Options)
        ?? throw new InvalidOperationException("a JSON round trip produced null");

    /// <summary>UTF-8 JSON of <paramref name="obj"/>.</summary>
    public static byte[] ToUtf8(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    /// <summary>The object as a mutable JSON tree.</summary>
    public static JsonObject ToNode(object obj) =>
        JsonSerializer.SerializeToNode(obj, obj.GetType(), Options) as JsonObject
        ?? throw new InvalidOperationException("object did not serialize to a JSON object");

    /// <summary>Reads a model of <paramref name="type"/> from JSON; throws BadRequest (400) on malformed input.</summary>
    public static IKubernetesObject<V1ObjectMeta> FromNode(JsonNode node, Type type)
    {
        try
        {
            return node.Deserialize(type, Options) as IKubernetesObject<V1ObjectMeta>
                ?? throw new ApiException(400, "BadRequest", "the request body is empty");
        }
        catch (JsonException ex)
        {
            throw new ApiException(400, "BadRequest", $"the object could not be decoded: {ex.Message}");
        }
    }

    private static JsonSerializerOptions CaptureOptions()
    {
        JsonSerializerOptions? captured = null;
        KubernetesJson.AddJsonOptions(options => captured = options);
        return captured ?? throw new InvalidOperationException("KubernetesJson exposed no serializer options");
    }
}
