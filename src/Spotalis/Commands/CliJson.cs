using System.Text.Json;
#if !SPOTALIS_AOT
using System.Text.Json.Serialization;
#endif
using System.Text.Json.Serialization.Metadata;

namespace Spotalis.Commands;

/// <summary>JSON printed by commands: camelCase, enums as text, indented.</summary>
public static class CliJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)));

    // The NativeAOT build has only the source-generated contracts of CliJsonContext (the container's commands print
    // those); the JIT build also serializes other shapes (demo, migrate) by reflection.
    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
#if SPOTALIS_AOT
        options.TypeInfoResolver = CliJsonContext.Default;
#else
        options.Converters.Add(new JsonStringEnumConverter());
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(CliJsonContext.Default, new DefaultJsonTypeInfoResolver());
#endif
        options.MakeReadOnly();
        return options;
    }
}
