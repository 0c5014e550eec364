using Microsoft.Extensions.Logging;

namespace Spotalis.Simulator.Api;

/// <summary>Settings of the in-process API server.</summary>
public sealed class ClusterApiOptions
{
    /// <summary>The cluster clock; <see cref="TimeProvider.System"/> unless a simulation accelerates time.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How many committed changes watches can resume from; older resourceVersions get 410 Gone.</summary>
    public int WatchHistorySize { get; init; } = 50_000;

    /// <summary>Creates the <c>default</c>, <c>kube-system</c>, <c>kube-public</c> and <c>kube-node-lease</c> namespaces at start.</summary>
    public bool CreateSystemNamespaces { get; init; } = true;

    /// <summary>
    /// Where a webhook's <c>clientConfig.service</c> really listens (namespace, service name, service port) -> URI to connect to,
    /// or null to route it like kube-proxy: the Service's ready Endpoints/EndpointSlices in turn, else 127.0.0.1 at the
    /// container port a named <c>targetPort</c> names, else at the numeric <c>targetPort</c>. TLS is still verified against
    /// <c>{service}.{namespace}.svc</c>, as a real apiserver does.
    /// </summary>
    public Func<string, string, int, Uri?>? ServiceEndpointResolver { get; init; }

    /// <summary>
    /// Awaited before each call to a mutating admission webhook with the webhook's name and the call's deadline; an
    /// exception it throws counts as a failed call (fault injection: an unreachable webhook).
    /// </summary>
    public Func<string, CancellationToken, Task>? BeforeWebhookCall { get; init; }

    /// <summary>Diagnostics (subscriber failures, webhook calls).</summary>
    public ILogger? Logger { get; init; }
}
