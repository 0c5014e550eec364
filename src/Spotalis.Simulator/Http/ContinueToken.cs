using System.Text;
using System.Text.Json.Nodes;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>The opaque <c>continue</c> token of a paged list: the list's resourceVersion and the last key returned.</summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string namespaceName, string name) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["rv"] = resourceVersion, ["ns"] = namespaceName, ["name"] = name }.ToJsonString()));

    public static (long ResourceVersion, string Namespace, string Name) Decode(string token)
    {
        try
        {
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!;
            return (node["rv"]!.GetValue<long>(), node["ns"]!.GetValue<string>(), node["name"]!.GetValue<string>());
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new ApiException(400, "BadRequest", $"continue key is not valid: {ex.Message}");
        }
    }
}
