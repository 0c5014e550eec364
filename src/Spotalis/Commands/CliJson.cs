using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spotalis.Commands;

/// <summary>JSON printed by commands: camelCase, enums as text, indented.</summary>
public static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
