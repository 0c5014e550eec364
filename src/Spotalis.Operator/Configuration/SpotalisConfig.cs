using Microsoft.Extensions.Logging;

namespace Spotalis.Operator.Configuration;

/// <summary>
/// The operator's whole configuration. Defaults here are the built-in defaults of the product contract;
/// <see cref="ConfigurationLoader"/> layers the YAML file and <c>SPOTALIS_*</c> environment variables on top.
/// </summary>
public sealed record SpotalisConfig
{
    public static SpotalisConfig Default { get; } = new();

    /// <summary>Only this namespace is watched and managed; empty = all namespaces.</summary>
    public string Namespace { get; init; } = "";

    /// <summary>Compute and report every action without evicting or annotating anything.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Kubernetes label selector on namespaces (e.g. <c>team in (a,b)</c>); empty = every namespace.</summary>
    public string NamespaceSelector { get; init; } = "";

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    public LogFormat LogFormat { get; init; } = LogFormat.Json;

    public LeaderElectionSettings LeaderElection { get; init; } = new();

    public NodeClassifierSettings NodeClassifier { get; init; } = new();

    public ControllerSettings Controllers { get; init; } = new();

    public DisruptionWindowSettings DisruptionWindow { get; init; } = new();

    public WebhookSettings Webhook { get; init; } = new();

    public EndpointSettings Metrics { get; init; } = new("0.0.0.0:8080");

    public EndpointSettings Health { get; init; } = new("0.0.0.0:8081");

    /// <summary>Lines to log once at startup: deprecated Go spellings in use and Go settings that are not applied.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];
}
