using System.Text.Json;
using System.Text.Json.Nodes;
using Spotalis.Operator.Configuration;

namespace Spotalis.Deploy.Tests;

/// <summary>
/// The configuration files the chart and the manifests ship are read by the operator's real loader, name exactly
/// the operator's configuration keys (<see cref="ConfigurationKeys"/>, which also generates
/// docs/reference/configuration.md), and carry the documented defaults.
/// </summary>
public sealed class OperatorConfigurationTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    public static TheoryData<string> Sources => new() { "chart", "kustomize", "chart-certManager", "overlay-example" };

    [Theory]
    [MemberData(nameof(Sources))]
    public void Shipped_configuration_loads_without_problems(string source)
    {
        var yaml = ConfigYaml(source);

        var exception = Record.Exception(() => ConfigurationLoader.Parse(yaml, NoEnvironment, source));

        Assert.Null(exception);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Shipped_configuration_names_every_operator_key_and_no_other(string source)
    {
        var written = ConfigKeys.Flatten(YamlValues.ParseOne(ConfigYaml(source))).Keys.Order(StringComparer.Ordinal);
        var known = ConfigurationKeys.All.Select(k => k.Path).Concat(ConfigurationKeys.ListKeys.Select(k => k.Path)).Order(StringComparer.Ordinal);

        Assert.Equal(known, written);
    }

    [Theory]
    [InlineData("chart")]
    [InlineData("kustomize")]
    public void Default_install_runs_with_the_operator_defaults(string source)
    {
        var loaded = ConfigurationLoader.Parse(ConfigYaml(source), NoEnvironment, source);

        Assert.Equal(Describe(SpotalisConfig.Default), Describe(loaded));
    }

    [Fact]
    public void Cert_manager_mode_points_the_operator_at_the_mounted_certificate()
    {
        var loaded = ConfigurationLoader.Parse(ConfigYaml("chart-certManager"), NoEnvironment);

        Assert.Equal("/var/run/spotalis/tls", loaded.Webhook.CertDir);
    }

    [Fact]
    public void Cert_manager_component_environment_override_is_a_real_operator_variable()
    {
        var deployment = Manifests.Single(Manifests.Kustomize(RepoPaths.KustomizeExampleOverlay), "Deployment", "spotalis");
        var env = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
            .ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());

        Assert.All(env.Keys, name => Assert.Contains(name, ConfigurationKeys.All.Select(k => k.EnvironmentVariable)));
        var loaded = ConfigurationLoader.Parse(null, env);
        Assert.Equal("/var/run/spotalis/tls", loaded.Webhook.CertDir);
    }

    private static string ConfigYaml(string source)
    {
        var manifests = source switch
        {
            "chart" => new ChartRenderer(RepoPaths.Chart, "spotalis", "spotalis-system").RenderManifests(),
            "chart-certManager" => new ChartRenderer(RepoPaths.Chart, "spotalis", "spotalis-system",
                new JsonObject { ["certificates"] = new JsonObject { ["mode"] = "certManager" } }).RenderManifests(),
            "kustomize" => Manifests.Kustomize(RepoPaths.KustomizeBase),
            "overlay-example" => Manifests.Kustomize(RepoPaths.KustomizeExampleOverlay),
            _ => throw new ArgumentOutOfRangeException(nameof(source)),
        };
        return Manifests.Single(manifests, "ConfigMap", "spotalis-config")["data"]!["config.yaml"]!.GetValue<string>();
    }

    /// <summary>Records with list members compare lists by reference; compare their JSON instead.</summary>
    private static string Describe(SpotalisConfig config) => JsonSerializer.Serialize(config);
}
