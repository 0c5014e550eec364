using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>
/// GitOps users install deploy/kustomize/base, Helm users the chart; both must give the same operator. The
/// chart cannot be rendered by helm here, so <see cref="ChartRenderer"/> renders its plain templates.
/// </summary>
public sealed class ChartMatchesKustomizeTests
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> Chart = new(() =>
        new ChartRenderer(RepoPaths.Chart, "spotalis", "spotalis-system").RenderManifests());

    private static readonly Lazy<IReadOnlyList<JsonObject>> Base = new(() => Manifests.Kustomize(RepoPaths.KustomizeBase));

    [Fact]
    public void Both_create_the_same_objects_apart_from_the_namespace()
    {
        var chartKeys = Chart.Value.Select(Manifests.Key).Order(StringComparer.Ordinal);
        var baseKeys = Base.Value.Select(Manifests.Key).Where(k => !k.StartsWith("Namespace/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        Assert.Equal(baseKeys, chartKeys);
    }

    [Theory]
    [InlineData("ServiceAccount", "spotalis")]
    [InlineData("ClusterRole", "spotalis")]
    [InlineData("ClusterRoleBinding", "spotalis")]
    [InlineData("Role", "spotalis")]
    [InlineData("RoleBinding", "spotalis")]
    [InlineData("ConfigMap", "spotalis-config")]
    [InlineData("Service", "spotalis-webhook")]
    [InlineData("Service", "spotalis-metrics")]
    [InlineData("Deployment", "spotalis")]
    [InlineData("PodDisruptionBudget", "spotalis")]
    [InlineData("MutatingWebhookConfiguration", "spotalis")]
    public void Object_is_identical_in_chart_and_kustomize_base(string kind, string name)
    {
        var fromChart = Comparable(Manifests.Single(Chart.Value, kind, name));
        var fromBase = Comparable(Manifests.Single(Base.Value, kind, name));

        Assert.True(JsonNode.DeepEquals(fromChart, fromBase),
            $"{kind}/{name} differs.\nchart:     {fromChart.ToJsonString()}\nkustomize: {fromBase.ToJsonString()}");
    }

    [Fact]
    public void Both_configs_name_every_key_with_the_same_value()
    {
        var fromChart = Manifests.Single(Chart.Value, "ConfigMap", "spotalis-config")["data"]!["config.yaml"]!.GetValue<string>();
        var fromBase = Manifests.Single(Base.Value, "ConfigMap", "spotalis-config")["data"]!["config.yaml"]!.GetValue<string>();

        Assert.Equal(ConfigKeys.Flatten(YamlValues.ParseOne(fromBase)), ConfigKeys.Flatten(YamlValues.ParseOne(fromChart)));
    }

    /// <summary>Install labels removed and embedded YAML files parsed, so that formatting does not matter.</summary>
    internal static JsonObject Comparable(JsonObject manifest)
    {
        var copy = Manifests.WithoutInstallLabels(manifest);
        if (copy["kind"]!.GetValue<string>() == "ConfigMap" && copy["data"] is JsonObject data)
        {
            foreach (var key in data.Select(p => p.Key).Where(k => k.EndsWith(".yaml", StringComparison.Ordinal)).ToList())
            {
                data[key] = YamlValues.ParseOne(data[key]!.GetValue<string>());
            }
        }

        return copy;
    }
}
