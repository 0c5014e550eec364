using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Reconciliation;
using Spotalis.Operator.Webhook;

namespace Spotalis.Operator.Hosting;

/// <summary>Optional seams of <see cref="OperatorHost"/> for embedding (demo, tests, the webhook).</summary>
public sealed record OperatorHostOptions
{
    /// <summary>Registers extra services and hosted services (e.g. the admission webhook) in the host's container.</summary>
    public Action<IServiceCollection, SpotalisConfig>? ConfigureServices { get; init; }

    /// <summary>
    /// Adjusts the webhook options derived from the configuration (e.g. an https URL and 127.0.0.1 listen address
    /// when the operator runs outside the cluster next to a local simulator).
    /// </summary>
    public Func<WebhookOptions, WebhookOptions>? ConfigureWebhook { get; init; }

    /// <summary>Use these loggers instead of console logging configured from <see cref="SpotalisConfig.LogFormat"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// The clock of the workload controller (cooldowns, windows, fallback timing, resync). The webhook and its
    /// certificates always use real time, since TLS validity is checked against real clocks.
    /// </summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Replace the API-server writes (tests that count or fail evictions).</summary>
    public IPodActions? PodActions { get; init; }
}
