using System.Text.Json.Nodes;
using NJsonSchema;

namespace Spotalis.Deploy.Tests;

/// <summary>values.yaml must satisfy values.schema.json (Helm checks the schema on install), and the schema must
/// catch the mistakes users actually make.</summary>
public sealed class ValuesSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(RepoPaths.Chart, "values.schema.json"))).GetAwaiter().GetResult());

    private static JsonObject DefaultValues() =>
        (JsonObject)YamlValues.ParseOne(File.ReadAllText(Path.Combine(RepoPaths.Chart, "values.yaml")))!;

    [Fact]
    public void Default_values_validate_against_the_schema()
    {
        var errors = Schema.Value.Validate(DefaultValues().ToJsonString());

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [InlineData("certificates.mode", "\"vault\"")]
    [InlineData("config.logFormat", "\"xml\"")]
    [InlineData("config.nodeClassifier.preset", "\"azure\"")]
    [InlineData("config.controllers.fallbackAfter", "\"5 minutes\"")]
    [InlineData("config.leaderElection.leaseDuration", "15")]
    [InlineData("config.readOnly", "\"yes\"")]
    [InlineData("replicaCount", "0")]
    [InlineData("ports.webhook", "70000")]
    [InlineData("admissionWebhook.timeoutSeconds", "5")]
    [InlineData("config.controllers.maxConcurrentReconciles", "65")]
    [InlineData("config.readonly", "true")]
    [InlineData("config.controllers.evictionsPerSecond", "0")]
    [InlineData("metricsTls", "{\"enabled\": true, \"secretName\": \"\"}")]
    [InlineData("metricsTls", "{\"enabled\": true}")]
    public void Schema_rejects_a_wrong_value(string path, string json)
    {
        var values = DefaultValues();
        Set(values, path, JsonNode.Parse(json));

        var errors = Schema.Value.Validate(values.ToJsonString());

        Assert.NotEmpty(errors);
    }

    [Theory]
    [InlineData("certificates.mode", "\"certManager\"")]
    [InlineData("config.controllers.fallbackAfter", "\"1h30m\"")]
    [InlineData("config.disruptionWindow.schedule", "\"0 1 * * *\"")]
    [InlineData("config.nodeClassifier.preset", "\"custom\"")]
    [InlineData("config.nodeClassifier.spotSelectors", "[{\"matchLabels\": {\"pool\": \"spot\"}}]")]
    [InlineData("config.controllers.evictionsPerSecond", "0.5")]
    [InlineData("metricsTls", "{\"enabled\": true, \"secretName\": \"spotalis-metrics-tls\"}")]
    public void Schema_accepts_a_valid_alternative(string path, string json)
    {
        var values = DefaultValues();
        Set(values, path, JsonNode.Parse(json));

        var errors = Schema.Value.Validate(values.ToJsonString());

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = (JsonObject)node[part]!;
        }

        node[parts[^1]] = value;
    }
}
