using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// <c>/metrics</c> (Prometheus text format) on <c>metrics.address</c>, over HTTPS when <c>metrics.certDir</c> is set,
/// and plain-HTTP <c>/healthz</c> (the process is serving) and <c>/readyz</c> (every informer completed its first
/// list and, with the webhook enabled, the webhook answered its <see cref="WebhookWarmUp"/> review) on <c>health.address</c>, which kubelet probes reach: one listener each in the operator's web host, or one
/// for both when the two addresses are the same. A certificate folder without a usable pair is a
/// <see cref="ConfigurationException"/> when this is created.
/// </summary>
public sealed class ObservabilityEndpoints : IDisposable
{
    private static readonly TimeSpan CertificateReloadInterval = TimeSpan.FromSeconds(30);

    private readonly OperatorMetrics _metrics;
    private readonly IClusterView _cache;
    private readonly WebhookWarmUp? _webhookWarmUp;
    private readonly FileCertificateSource? _metricsCertificate;
    private readonly EndpointListener _metricsListener;
    private readonly EndpointListener _healthListener;

    /// <param name="webhookWarmUp">With the webhook enabled: <c>/readyz</c> also waits for its warm-up review.</param>
    public ObservabilityEndpoints(SpotalisConfig config, OperatorMetrics metrics, IClusterView cache, ILoggerFactory loggerFactory, WebhookWarmUp? webhookWarmUp = null)
    {
        _webhookWarmUp = webhookWarmUp;
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        var metricsCertificate = _metricsCertificate = MetricsCertificate(config.Metrics.CertDir, loggerFactory);
        EndpointRoute metricsRoute = new(HttpMethods.Get, "/metrics", ServeMetricsAsync);
        EndpointRoute[] healthRoutes =
        [
            new(HttpMethods.Get, "/healthz", context => WriteTextAsync(context, StatusCodes.Status200OK, "ok")),
            new(HttpMethods.Get, "/readyz", ServeReadinessAsync),
        ];
        var (metricsHost, metricsPort) = Parse(config.Metrics.Address, "metrics.address");
        var (healthHost, healthPort) = Parse(config.Health.Address, "health.address");
        if (config.Metrics.Address == config.Health.Address)
        {
            // The validator refuses metrics TLS on a shared address: health probes stay plain HTTP.
            _metricsListener = _healthListener = new EndpointListener("metrics and health", metricsHost, metricsPort, tls: false, [metricsRoute, .. healthRoutes]);
        }
        else
        {
            _metricsListener = new EndpointListener("metrics", metricsHost, metricsPort, tls: metricsCertificate is not null, [metricsRoute],
                metricsCertificate is null ? null : listen => listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ServerCertificateSelector = (_, _) => metricsCertificate.Current,
                }));
            _healthListener = new EndpointListener("health", healthHost, healthPort, tls: false, healthRoutes);
        }
    }

    /// <summary>The listeners (one when metrics and health share an address).</summary>
    public IReadOnlyList<EndpointListener> Listeners => ReferenceEquals(_metricsListener, _healthListener) ? [_metricsListener] : [_metricsListener, _healthListener];

    /// <summary>Where <c>/metrics</c> is served (the bound port when configured with port 0); known once listening.</summary>
    public Uri MetricsUri => _metricsListener.Address ?? new Uri("http://localhost/");

    /// <summary>Where <c>/healthz</c> and <c>/readyz</c> are served; known once listening.</summary>
    public Uri HealthUri => _healthListener.Address ?? new Uri("http://localhost/");

    /// <summary>Adds the metrics and health listeners to the server.</summary>
    public void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        foreach (var listener in Listeners)
        {
            listener.Bind(kestrel);
        }
    }

    public void Dispose() => _metricsCertificate?.Dispose();

    public override string ToString() => $"metrics {MetricsUri}, health {HealthUri}";

    private async Task ServeMetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await _metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private Task ServeReadinessAsync(HttpContext context) =>
        !_cache.IsSynced ? WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, "cache not synced")
        : _webhookWarmUp?.NotReady is { } webhookNotReady ? WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, webhookNotReady)
        : WriteTextAsync(context, StatusCodes.Status200OK, "ok");

    private static Task WriteTextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static (string Host, int Port) Parse(string address, string key) => ListenAddress.TryParse(address, out var host, out var port)
        ? (host, port)
        : throw new ConfigurationException($"{key}: '{address}' is not host:port");

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
}
