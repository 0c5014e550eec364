using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Hosting;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.Operator.Webhook;

/// <summary>
/// The webhook's own Kestrel HTTPS listener (separate from metrics and health): <c>POST /mutate-v1-pod</c>, TLS 1.2+
/// only, request bodies up to 3 MiB, bounded request time. The certificate is chosen per handshake from
/// <see cref="IServingCertificateSource"/>, so rotations apply without a restart.
/// </summary>
public sealed partial class WebhookServer : IHostedService, IAsyncDisposable
{
    public const long MaxRequestBodyBytes = 3 * 1024 * 1024;

    private readonly WebhookOptions _options;
    private readonly AdmissionHandler _handler;
    private readonly IServingCertificateSource _certificates;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly AdmissionForwarder? _forwarder;
    private WebApplication? _app;
    private CertificateContext? _tlsContext;

    /// <param name="forwarder">With several replicas: hands each review to the leader (null: decide every review here).</param>
    public WebhookServer(WebhookOptions options, AdmissionHandler handler, IServingCertificateSource certificates, ILoggerFactory loggerFactory, AdmissionForwarder? forwarder = null)
    {
        _forwarder = forwarder;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _logger = loggerFactory.CreateLogger<WebhookServer>();
    }

    /// <summary>The https base address actually bound (useful with port 0), e.g. <c>https://127.0.0.1:9443</c>.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(WebhookServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = _options.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = _options.RequestTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(2));
            kestrel.Listen(IPAddress.Parse(_options.ListenAddress), _options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = _ => ValueTask.FromResult(TlsOptions()) });
            });
        });

        var app = builder.Build();
        app.UseRequestTimeouts();
        app.MapPost(MutatingWebhookConfigurationFactory.Path, HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Address = bound is null ? null : new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        var listening = bound ?? $"{_options.ListenAddress}:{_options.Port}";
        Log.WebhookListening(_logger, listening);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    /// <summary>
    /// TLS settings for one handshake. The certificate context (its chain and, on Linux, the native TLS context) is
    /// built once per certificate rather than per connection, and rebuilt when the source rotates the certificate.
    /// </summary>
    private SslServerAuthenticationOptions TlsOptions()
    {
        var certificate = _certificates.Current ?? throw new AuthenticationException("the webhook has no serving certificate yet");
        var cached = _tlsContext;
        if (cached is null || !ReferenceEquals(cached.Certificate, certificate))
        {
            cached = new CertificateContext(certificate, SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true));
            _tlsContext = cached;
        }

        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = cached.Context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
    }

    private async Task HandleAsync(HttpContext context)
    {
        // The apiserver always sends Content-Length: read into a pooled buffer, so a request allocates no body copy.
        var request = context.Request;
        byte[]? rented = null;
        try
        {
            ReadOnlyMemory<byte> body;
            try
            {
                if (request.ContentLength is { } length and <= MaxRequestBodyBytes)
                {
                    rented = ArrayPool<byte>.Shared.Rent((int)length);
                    body = rented.AsMemory(0, (int)length);
                    await request.Body.ReadExactlyAsync(rented.AsMemory(0, (int)length), context.RequestAborted).ConfigureAwait(false);
                }
                else
                {
                    body = await ReadUnsizedBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
            {
                context.Response.StatusCode = ex.StatusCode;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"invalid AdmissionReview: {ex.Message}", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            var response = context.Response;
            if (_forwarder is not null && !request.Headers.ContainsKey(AdmissionForwarder.ForwardedHeader) &&
                await _forwarder.TryForwardAsync(body, context.RequestAborted).ConfigureAwait(false) is { } decided)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json";
                response.ContentLength = decided.Length;
                await response.Body.WriteAsync(decided, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            var result = await _handler.HandleAsync(body, context.RequestAborted).ConfigureAwait(false);
            response.StatusCode = result.StatusCode;
            response.ContentType = result.ContentType;
            response.ContentLength = result.Body.Length;
            await response.Body.WriteAsync(result.Body, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static async Task<byte[]> ReadUnsizedBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(16 * 1024);
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private sealed record CertificateContext(X509Certificate2 Certificate, SslStreamCertificateContext Context);
}
