using System.Text.Json;
using System.Text.Json.Serialization;
using Spotalis.Simulation;

namespace Spotalis.Reporting;

/// <summary>Reads and writes summary.json: camelCase names, enums as camelCase text, indented.</summary>
public static class SummaryJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(SimulationSummary summary) => JsonSerializer.Serialize(summary, Options);

    /// <summary>sweep.json: the same conventions as summary.json.</summary>
    public static string Serialize(SweepSummary sweep) => JsonSerializer.Serialize(sweep, Options);

    public static SweepSummary? DeserializeSweep(string json) => JsonSerializer.Deserialize<SweepSummary>(json, Options);

    public static SimulationSummary? Deserialize(string json) => JsonSerializer.Deserialize<SimulationSummary>(json, Options);

    public static async Task WriteAsync(SimulationSummary summary, string path, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, Serialize(summary) + Environment.NewLine, cancellationToken);
    }
}
