using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>Whether everything a manifest says is present in the object the server returned (servers add defaults).</summary>
internal static class JsonSubset
{
    /// <summary>The first path where <paramref name="expected"/> is not contained in <paramref name="actual"/>, or null.</summary>
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected)
        {
            case JsonObject expectedObject:
                if (actual is not JsonObject actualObject)
                {
                    return $"{path}: expected an object, got {actual?.ToJsonString() ?? "nothing"}";
                }

                foreach (var (key, value) in expectedObject)
                {
                    var difference = FirstDifference(value, actualObject[key], $"{path}.{key}");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonArray expectedArray:
                if (actual is not JsonArray actualArray || actualArray.Count != expectedArray.Count)
                {
                    return $"{path}: expected {expectedArray.ToJsonString()}, got {actual?.ToJsonString() ?? "nothing"}";
                }

                for (var i = 0; i < expectedArray.Count; i++)
                {
                    var difference = FirstDifference(expectedArray[i], actualArray[i], $"{path}[{i}]");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;
            case null:
                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) || expected.ToString() == actual?.ToString()
                    ? null
                    : $"{path}: expected {expected.ToJsonString()}, got {actual?.ToJsonString() ?? "nothing"}";
        }
    }
}
