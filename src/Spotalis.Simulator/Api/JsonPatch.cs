using System.Globalization;
using System.Text.Json.Nodes;

namespace Spotalis.Simulator.Api;

/// <summary>RFC 6902 JSON Patch over <see cref="JsonNode"/> trees (add, remove, replace, move, copy, test).</summary>
public static class JsonPatch
{
    /// <summary>Applies <paramref name="patch"/> (a JSON array of operations) to <paramref name="document"/> and returns the result.</summary>
    public static JsonNode Apply(JsonNode document, JsonArray patch)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(patch);
        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var operation in patch)
        {
            if (operation is not JsonObject op)
            {
                throw Bad("each operation must be a JSON object");
            }

            var kind = op["op"]?.GetValue<string>() ?? throw Bad("an operation has no \"op\"");
            var path = op["path"]?.GetValue<string>() ?? throw Bad($"\"{kind}\" operation has no \"path\"");
            switch (kind)
            {
                case "add":
                    Add(root, path, Value(op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op));
                    break;
                case "move":
                    var moved = Remove(root, From(op));
                    Add(root, path, moved);
                    break;
                case "copy":
                    Add(root, path, Find(root, From(op))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Find(root, path), Value(op)))
                    {
                        throw new ApiException(422, "Invalid", $"the JSON patch test at {path} failed");
                    }

                    break;
                default:
                    throw Bad($"unknown JSON patch operation \"{kind}\"");
            }
        }

        return root["doc"] ?? throw Bad("the patch removed the whole document");
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw Bad($"\"{op["op"]}\" operation has no \"value\"");

    private static string From(JsonObject op) => op["from"]?.GetValue<string>() ?? throw Bad($"\"{op["op"]}\" operation has no \"from\"");

    private static (JsonNode Parent, string Token) Resolve(JsonObject root, string path)
    {
        var tokens = ("/doc" + path).Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        JsonNode current = root;
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            current = Child(current, tokens[i]) ?? throw new ApiException(422, "Invalid", $"the JSON patch path {path} does not exist");
        }

        return (current, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject obj => obj[token],
        JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
        _ => null,
    };

    private static JsonNode? Find(JsonObject root, string path)
    {
        var (parent, token) = Resolve(root, path);
        return Child(parent, token);
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, token) = Resolve(root, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value;
                break;
            case JsonArray array when token == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= array.Count:
                array.Insert(index, value);
                break;
            default:
                throw new ApiException(422, "Invalid", $"the JSON patch path {path} cannot be added to");
        }
    }

    private static JsonNode? Remove(JsonObject root, string path)
    {
        var (parent, token) = Resolve(root, path);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(token):
                var value = obj[token];
                obj.Remove(token);
                return value;
            case JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                var item = array[index];
                array.RemoveAt(index);
                return item;
            default:
                throw new ApiException(422, "Invalid", $"the JSON patch path {path} does not exist");
        }
    }

    private static ApiException Bad(string message) => new(400, "BadRequest", message);
}
