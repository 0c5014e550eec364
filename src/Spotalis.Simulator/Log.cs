using Microsoft.Extensions.Logging;

namespace Spotalis.Simulator;

/// <summary>
/// Every log message of the simulator, source-generated. Event ids come from the repository's registry
/// (docs/reference/logs.md): 1000–1999 the operator, 2000–2999 the simulator, 3000–3999 the CLI. Within the
/// simulator: 2000s the API, 2100s HTTP, 2200s the cluster loop and controllers, 2300s the cloud (node pools).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "A change subscriber failed on {Type} {Kind} {Name}")]
    public static partial void ChangeSubscriberFailed(this ILogger logger, Exception exception, Api.ClusterChangeType type, string kind, string name);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Webhook call failed: webhook {Webhook} at {Url}{Dialled} for pod {Namespace}/{Pod}: {Reason}; failurePolicy {Policy}: {Outcome}")]
    public static partial void WebhookCallFailed(this ILogger logger, string webhook, string url, string dialled, string @namespace, string pod,
        string reason, string policy, string outcome);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    public static partial void RequestFailed(this ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Request {Path} failed after its response started: {Message}")]
    public static partial void RequestFailedAfterResponseStarted(this ILogger logger, string path, string message);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "The simulated cluster did not settle within {Rounds} rounds; continuing at the next step")]
    public static partial void ClusterDidNotSettle(this ILogger logger, int rounds);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "The simulated cluster loop failed; continuing")]
    public static partial void ClusterLoopFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "{Controller} failed to reconcile {Key}; retrying")]
    public static partial void ReconcileFailed(this ILogger logger, Exception exception, string controller, string key);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Simulated pool {Pool}: capacity outage started (SimulatedPool spec.outage=true)")]
    public static partial void PoolOutageStarted(this ILogger logger, string pool);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "Simulated pool {Pool}: capacity outage ended (SimulatedPool spec.outage=false)")]
    public static partial void PoolOutageEnded(this ILogger logger, string pool);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "NodePool {NodePool} allows no capacity type; it launches nothing")]
    public static partial void NodePoolAllowsNothing(this ILogger logger, string nodePool);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Information, Message = "NodePool {NodePool}: a new {CapacityType} pool")]
    public static partial void NodePoolAdded(this ILogger logger, string nodePool, string capacityType);
}
