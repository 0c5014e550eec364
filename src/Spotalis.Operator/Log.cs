using Microsoft.Extensions.Logging;

namespace Spotalis.Operator;

/// <summary>
/// Every log message of the operator assembly, source-generated. Event ids come from <see cref="LogEventIds"/>: one
/// range per area, so that a log pipeline can filter an area by id.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = LogEventIds.Hosting + 1, Level = LogLevel.Information,
        Message = "Starting Spotalis operator {Identity} (namespace: {Namespace}, read-only: {ReadOnly}, leader election: {LeaderElection})")]
    public static partial void Starting(ILogger logger, string identity, string @namespace, bool readOnly, bool leaderElection);

    [LoggerMessage(EventId = LogEventIds.Hosting + 2, Level = LogLevel.Warning, Message = "Configuration: {Notice}")]
    public static partial void ConfigurationNotice(ILogger logger, string notice);

    [LoggerMessage(EventId = LogEventIds.Hosting + 3, Level = LogLevel.Information, Message = "Shutting down: finishing in-flight work")]
    public static partial void ControllerStopping(ILogger logger);

    [LoggerMessage(EventId = LogEventIds.Hosting + 4, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = LogEventIds.Hosting + 5, Level = LogLevel.Warning,
        Message = "Could not read nodes and NodePools to detect the provider ({Error}); nodeClassifier.preset {Configured} uses {Preset}")]
    public static partial void DiscoveryFailed(ILogger logger, string error, string configured, string preset);

    [LoggerMessage(EventId = LogEventIds.Hosting + 6, Level = LogLevel.Warning, Message = "nodeClassifier.preset auto: {Finding}")]
    public static partial void AutoPresetNotFound(ILogger logger, string finding);

    [LoggerMessage(EventId = LogEventIds.Hosting + 7, Level = LogLevel.Information, Message = "nodeClassifier.preset {Configured}: {Finding}")]
    public static partial void PresetDiscovered(ILogger logger, string configured, string finding);

    [LoggerMessage(EventId = LogEventIds.Hosting + 8, Level = LogLevel.Warning,
        Message = "No Karpenter NodePool allows spot: pods are steered to spot only while spot nodes exist")]
    public static partial void NoNodePoolAllowsSpot(ILogger logger);

    [LoggerMessage(EventId = LogEventIds.Controller + 1, Level = LogLevel.Information, Message = "Cache synced; starting {Workers} workers")]
    public static partial void ControllerStarted(ILogger logger, int workers);

    [LoggerMessage(EventId = LogEventIds.Controller + 2, Level = LogLevel.Debug, Message = "Reconcile of {Workload} failed; retrying in {Delay}")]
    public static partial void ReconcileRetry(ILogger logger, object workload, TimeSpan delay);
}
