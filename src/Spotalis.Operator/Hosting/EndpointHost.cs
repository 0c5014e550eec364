using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Webhook;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// A Kestrel host that serves only the given endpoints, with the operator host's pipeline
/// (<see cref="EndpointPipeline"/>): tests and benchmarks use it to serve the webhook or the metrics and health
/// endpoints without a cluster. <c>spotalis run</c> does not use it; its one host is <see cref="OperatorHost"/>.
/// </summary>
public sealed class EndpointHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EndpointHost(WebApplication app) => _app = app;

    /// <summary>Serves the admission webhook alone.</summary>
    public static Task<EndpointHost> StartAsync(WebhookEndpoint webhook, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return StartAsync(loggerFactory, [webhook.Listener], webhook.ConfigureKestrel, cancellationToken);
    }

    /// <summary>Serves <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> alone.</summary>
    public static Task<EndpointHost> StartAsync(ObservabilityEndpoints endpoints, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return StartAsync(loggerFactory, endpoints.Listeners, endpoints.ConfigureKestrel, cancellationToken);
    }

    /// <param name="configureKestrel">Adds the listeners, e.g. <c>webhook.ConfigureKestrel</c>.</param>
    public static async Task<EndpointHost> StartAsync(ILoggerFactory loggerFactory, IReadOnlyList<EndpointListener> listeners,
        Action<KestrelServerOptions> configureKestrel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(listeners);
        ArgumentNullException.ThrowIfNull(configureKestrel);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(EndpointHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.Services.Configure(configureKestrel);
        var app = builder.Build();
        EndpointPipeline.Use(app, listeners);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new EndpointHost(app);
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
