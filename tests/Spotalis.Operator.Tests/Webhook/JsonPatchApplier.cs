using System.Text.Json.Nodes;

namespace Spotalis.Operator.Tests.Webhook;

/// <summary>
/// An independent RFC 6902 "add" applier (the only operation the webhook emits), strict like the apiserver's: the
/// parent must exist, array indexes must be in range, and reference tokens are unescaped per RFC 6901.
/// </summary>
internal static class JsonPatchApplier
{
    public static JsonNode Apply(JsonNode document, JsonArray patch)
    {
        var result = document.DeepClone();
        foreach (var operation in patch)
        {
            var op = operation!["op"]!.GetValue<string>();
            Assert.Equal("add", op);
            var path = operation["path"]!.GetValue<string>();
            Assert.StartsWith("/", path);
            var tokens = path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            var parent = result;
            foreach (var token in tokens[..^1])
            {
                parent = parent switch
                {
                    JsonObject o => o[token] ?? throw new InvalidOperationException($"path {path}: '{token}' does not exist"),
                    JsonArray a => a[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)] ?? throw new InvalidOperationException($"path {path}: null at {token}"),
                    _ => throw new InvalidOperationException($"path {path}: cannot descend into a value"),
                };
            }

            var last = tokens[^1];
            var value = operation["value"]?.DeepClone();
            switch (parent)
            {
                case JsonObject o:
                    o[last] = value;
                    break;
                case JsonArray a when last == "-":
                    a.Add(value);
                    break;
                case JsonArray a:
                    var index = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
                    Assert.InRange(index, 0, a.Count);
                    a.Insert(index, value);
                    break;
                default:
                    throw new InvalidOperationException($"path {path}: parent is not a container");
            }
        }

        return result;
    }
}
