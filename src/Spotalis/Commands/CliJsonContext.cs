using System.Text.Json;
using System.Text.Json.Serialization;
using Spotalis.Cluster;

namespace Spotalis.Commands;

/// <summary>Source-generated JSON contracts of what the container's commands print (`status -o json`, `explain -o json`).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(PodExplanation))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
