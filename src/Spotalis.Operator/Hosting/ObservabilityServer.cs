using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// <c>/metrics</c> (Prometheus text format) on <c>metrics.address</c>, over HTTPS when <c>metrics.certDir</c> is set,
/// and plain-HTTP <c>/healthz</c> (the process is serving) and <c>/readyz</c> (every informer completed its first
/// list) on <c>health.address</c>, which kubelet probes reach.
/// </summary>
public sealed class ObservabilityServer(SpotalisConfig config, OperatorMetrics metrics, IClusterView cache, ILoggerFactory loggerFactory)
    : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan CertificateReloadInterval = TimeSpan.FromSeconds(30);

    private WebApplication? _app;
    private FileCertificateSource? _metricsCertificate;

    /// <summary>Where <c>/metrics</c> is served (the bound port when configured with port 0); known once started.</summary>
    public Uri MetricsUri { get; private set; } = new("http://localhost/");

    /// <summary>Where <c>/healthz</c> and <c>/readyz</c> are served; known once started.</summary>
    public Uri HealthUri { get; private set; } = new("http://localhost/");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var metricsCertificate = _metricsCertificate = MetricsCertificate(config.Metrics.CertDir, loggerFactory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        var metricsUrl = ListenAddress.ToUrl(config.Metrics.Address, metricsCertificate is null ? "http" : "https");
        builder.WebHost.UseUrls(config.Metrics.Address == config.Health.Address
            ? [metricsUrl]
            : [metricsUrl, ListenAddress.ToUrl(config.Health.Address)]);
        if (metricsCertificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                https.ServerCertificateSelector = (_, _) => metricsCertificate.Current;
            }));
        }

        var app = builder.Build();
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        // RequestDelegates, not minimal-API delegates: these need no reflection or generated code (NativeAOT).
        app.MapGet("/healthz", context => Results.Text("ok").ExecuteAsync(context));
        app.MapGet("/readyz", context => (cache.IsSynced ? Results.Text("ok") : Results.Text("cache not synced", statusCode: StatusCodes.Status503ServiceUnavailable)).ExecuteAsync(context));
        await app.StartAsync(cancellationToken);
        _app = app;

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToArray() ?? [];
        MetricsUri = Local(addresses.ElementAtOrDefault(0));
        HealthUri = Local(addresses.ElementAtOrDefault(config.Metrics.Address == config.Health.Address ? 0 : 1));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        _metricsCertificate?.Dispose();
        _metricsCertificate = null;
    }

    public override string ToString() => $"metrics {MetricsUri}, health {HealthUri}";

    /// <summary>The certificate files for <c>/metrics</c>, or null for plain HTTP; a folder without a usable pair stops the start.</summary>
    private static FileCertificateSource? MetricsCertificate(string certDir, ILoggerFactory loggerFactory)
    {
        if (string.IsNullOrWhiteSpace(certDir))
        {
            return null;
        }

        var source = new FileCertificateSource(certDir, CertificateReloadInterval, loggerFactory.CreateLogger<FileCertificateSource>());
        if (source.Current is null)
        {
            source.Dispose();
            throw new ConfigurationException(
                $"metrics.certDir: no usable {FileCertificateSource.CertificateFile} and {FileCertificateSource.KeyFile} (PEM) in '{certDir}'");
        }

        return source;
    }

    private static Uri Local(Uri? bound) =>
        bound is null ? new Uri("http://127.0.0.1/") : new UriBuilder(bound) { Host = bound.Host is "0.0.0.0" or "[::]" or "+" or "*" ? "127.0.0.1" : bound.Host }.Uri;
}
