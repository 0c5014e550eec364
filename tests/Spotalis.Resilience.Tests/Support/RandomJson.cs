using System.Text.Json.Nodes;

namespace Spotalis.Resilience.Tests.Support;

/// <summary>Random JSON values from a seed (objects, arrays, strings with any characters, numbers, booleans, null).</summary>
internal static class RandomJson
{
    private static readonly string[] FieldNames =
        ["apiVersion", "kind", "request", "uid", "operation", "object", "metadata", "labels", "ownerReferences", "spec", "name", "namespace", "controller", "dryRun"];

    public static JsonNode? Create(Random random, int depth = 0)
    {
        var choice = random.Next(depth > 6 ? 4 : 6);
        return choice switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(3) == 0 ? random.NextDouble() * double.MaxValue : random.Next(int.MinValue, int.MaxValue)),
            2 => JsonValue.Create(random.Next(2) == 0),
            3 => JsonValue.Create(String(random)),
            4 => new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => Create(random, depth + 1)).ToArray()),
            _ => Object(random, depth),
        };
    }

    public static string String(Random random)
    {
        var length = random.Next(3) == 0 ? random.Next(200) : random.Next(12);
        var characters = new char[length];
        for (var i = 0; i < length; i++)
        {
            characters[i] = random.Next(4) switch
            {
                0 => (char)random.Next(0x20, 0x7f),
                1 => (char)random.Next(0, 0x20),
                2 => (char)random.Next(0xd800, 0xe000), // lone surrogates
                _ => (char)random.Next(0x80, 0xffff),
            };
        }

        return new string(characters);
    }

    private static JsonObject Object(Random random, int depth)
    {
        var result = new JsonObject();
        for (var i = random.Next(5); i > 0; i--)
        {
            var name = random.Next(2) == 0 ? FieldNames[random.Next(FieldNames.Length)] : String(random);
            result[name] = Create(random, depth + 1);
        }

        return result;
    }
}
