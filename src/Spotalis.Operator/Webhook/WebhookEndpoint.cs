using System.Buffers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Hosting;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.Operator.Webhook;

/// <summary>
/// The admission webhook's endpoint in the operator's web host: <c>POST /mutate-v1-pod</c> on its own HTTPS listener
/// (<see cref="WebhookOptions.Port"/>), TLS 1.2+ only, request bodies up to 3 MiB, bounded request time
/// (<see cref="WebhookOptions.RequestTimeout"/>, then 503). The certificate is chosen per handshake from
/// <see cref="IServingCertificateSource"/>, so rotations apply without a restart. <c>spotalis run</c> serves it from
/// the one host of <see cref="OperatorHost"/>; tests and benchmarks can serve it alone with <see cref="EndpointHost"/>.
/// </summary>
public sealed class WebhookEndpoint
{
    public const long MaxRequestBodyBytes = 3 * 1024 * 1024;

    private readonly WebhookOptions _options;
    private readonly AdmissionHandler _handler;
    private readonly IServingCertificateSource _certificates;
    private readonly ILogger _logger;
    private readonly AdmissionForwarder? _forwarder;
    private CertificateContext? _tlsContext;

    /// <param name="forwarder">With several replicas: hands each review to the leader (null: decide every review here).</param>
    public WebhookEndpoint(WebhookOptions options, AdmissionHandler handler, IServingCertificateSource certificates, ILoggerFactory loggerFactory, AdmissionForwarder? forwarder = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _forwarder = forwarder;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        _logger = loggerFactory.CreateLogger<WebhookEndpoint>();
        Listener = new EndpointListener(
            "webhook",
            _options.ListenAddress,
            _options.Port,
            tls: true,
            [new EndpointRoute(HttpMethods.Post, MutatingWebhookConfigurationFactory.Path, HandleAsync)],
            listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = _ => ValueTask.FromResult(TlsOptions()) });
            },
            bound => Log.WebhookListening(_logger, bound.OriginalString));
    }

    /// <summary>The webhook's HTTPS listener and its one route.</summary>
    public EndpointListener Listener { get; }

    /// <summary>The https base address actually bound (useful with port 0), e.g. <c>https://127.0.0.1:9443/</c>; null until listening.</summary>
    public Uri? Address => Listener.Address;

    /// <summary>
    /// Adds the webhook's listener and the server limits it needs. The limits are the server's (Kestrel has no
    /// per-listener limits); the metrics and health requests are small GETs well within them.
    /// </summary>
    public void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        kestrel.Limits.RequestHeadersTimeout = _options.RequestTimeout;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(2));
        Listener.Bind(kestrel);
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

    /// <summary>Answers one review within <see cref="WebhookOptions.RequestTimeout"/>; a review that takes longer gets 503.</summary>
    private async Task HandleAsync(HttpContext context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            await HandleWithinAsync(context, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            }
        }
    }

    private async Task HandleWithinAsync(HttpContext context, CancellationToken cancellationToken)
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
                    await request.Body.ReadExactlyAsync(rented.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    body = await ReadUnsizedBodyAsync(request, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
            {
                context.Response.StatusCode = ex.StatusCode;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"invalid AdmissionReview: {ex.Message}", cancellationToken).ConfigureAwait(false);
                return;
            }

            var response = context.Response;
            var warmUp = request.Headers.ContainsKey(WebhookWarmUp.Header);
            if (_forwarder is not null && !warmUp && !request.Headers.ContainsKey(AdmissionForwarder.ForwardedHeader) &&
                await _forwarder.TryForwardAsync(body, cancellationToken).ConfigureAwait(false) is { } decided)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json";
                response.ContentLength = decided.Length;
                await response.Body.WriteAsync(decided, cancellationToken).ConfigureAwait(false);
                return;
            }

            var result = await _handler.HandleAsync(body, observed: !warmUp, cancellationToken).ConfigureAwait(false);
            response.StatusCode = result.StatusCode;
            response.ContentType = result.ContentType;
            response.ContentLength = result.Body.Length;
            await response.Body.WriteAsync(result.Body, cancellationToken).ConfigureAwait(false);
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
