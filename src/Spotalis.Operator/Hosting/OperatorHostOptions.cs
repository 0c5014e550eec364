using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Hosting;

/// <summary>Optional seams of <see cref="OperatorHost"/> for embedding (demo, tests, the webhook).</summary>
public sealed record OperatorHostOptions
{
    /// <summary>Registers extra services and hosted services (e.g. the admission webhook) in the host's container.</summary>
    public Action<IServiceCollection, SpotalisConfig>? ConfigureServices { get; init; }

    /// <summary>Use these loggers instead of console logging configured from <see cref="SpotalisConfig.LogFormat"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Replace the API-server writes (tests that count or fail evictions).</summary>
    public IPodActions? PodActions { get; init; }
}
