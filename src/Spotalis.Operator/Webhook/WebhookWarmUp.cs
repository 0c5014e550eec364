using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.Operator.Webhook;

/// <summary>
/// The webhook's part of readiness. Once the server listens, this process sends its own webhook one review, over
/// loopback, TLS and HTTP/2 as the API server does: a dry-run CREATE of a pod without an owner, which is answered
/// (allowed, no patch) but places nothing, records nothing and is not counted in the admission metrics. <c>/readyz</c>
/// stays 503 until the answer comes back, so a Service sends no review to a replica whose listener, certificate or
/// handler cannot serve yet, and the first real review does not pay for the first use of the TLS stack and the
/// handler (0.3 s for a cold JIT process at load 5, past the API server's 2 s timeout under heavy load, which then
/// admits the pod unplaced). A missing certificate or listener is checked again every 50 ms, a review that failed on
/// the wire a second later; failing for more than 5 s is a warning with the reason.
/// </summary>
public sealed class WebhookWarmUp : IHostedService, IDisposable
{
    /// <summary>Marks the warm-up review: the endpoint decides it itself (never forwards it) and does not count it.</summary>
    public const string Header = "X-Spotalis-Warm-Up";

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>While the certificate or the listener is missing (a check in memory): readiness follows them at once.</summary>
    private static readonly TimeSpan PreconditionRetry = TimeSpan.FromMilliseconds(50);

    /// <summary>After a review that failed on the wire.</summary>
    private static readonly TimeSpan RequestRetry = TimeSpan.FromSeconds(1);

    /// <summary>Failing this long is worth a warning; before, it is the normal wait for the self-managed certificate at start.</summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(5);

    /// <summary>While the reason stays the same, one warning per this interval.</summary>
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private static readonly byte[] Review = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"spotalis-warm-up",
        "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
        "namespace":"spotalis-warm-up","operation":"CREATE","dryRun":true,
        "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"spotalis-warm-up","namespace":"spotalis-warm-up"},
        "spec":{"containers":[{"name":"warm-up","image":"registry.k8s.io/pause:3.10"}]}}}}
        """u8.ToArray();

    private readonly WebhookEndpoint _endpoint;
    private readonly IServingCertificateSource _certificates;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private volatile string? _notReady = "the webhook has not answered its warm-up review yet";

    public WebhookWarmUp(WebhookEndpoint endpoint, IServingCertificateSource certificates, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<WebhookWarmUp> logger)
    {
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        _lifetime = lifetime ?? throw new ArgumentNullException(nameof(lifetime));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Why the webhook is not ready yet, or null once it answered its warm-up review.</summary>
    public string? NotReady => _notReady;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The server starts listening after the hosted services have started.
        _lifetime.ApplicationStarted.Register(() => _running = RunAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = AttemptTimeout,

            // Its own listener: the certificate it serves is the one to expect, whoever signed it.
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, presented, _, _) => _certificates.IsServing(presented) },
        })
        {
            Timeout = AttemptTimeout,
        };
        long? failingSince = null;
        long warnedAt = 0;
        string? logged = null;
        string? warned = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            var (failure, precondition) = await TryOnceAsync(http, cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (failure is null)
            {
                _notReady = null;
                var elapsed = _time.GetElapsedTime(started);
                Log.WebhookWarmedUp(_logger, (long)elapsed.TotalMilliseconds);
                return;
            }

            _notReady = "the webhook's warm-up review failed: " + failure;
            var retry = precondition ? PreconditionRetry : RequestRetry;
            failingSince ??= started;
            if (_time.GetElapsedTime(failingSince.Value) >= QuietPeriod && (failure != warned || _time.GetElapsedTime(warnedAt) >= WarningInterval))
            {
                (warned, warnedAt, logged) = (failure, _time.GetTimestamp(), failure);
                Log.WebhookWarmUpFailed(_logger, LogLevel.Warning, retry, failure);
            }
            else if (failure != logged)
            {
                logged = failure;
                Log.WebhookWarmUpFailed(_logger, LogLevel.Debug, retry, failure);
            }

            try
            {
                await Task.Delay(retry, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Failure null when the webhook answered the review with 200, else why not; Precondition when nothing was sent.</summary>
    private async Task<(string? Failure, bool Precondition)> TryOnceAsync(HttpClient http, CancellationToken cancellationToken)
    {
        if (_certificates.Current is null)
        {
            return ("no serving certificate yet", true);
        }

        if (_endpoint.Address is not { } address)
        {
            return ("the webhook listener is not bound", true);
        }

        try
        {
            using var content = new ByteArrayContent(Review);
            content.Headers.ContentType = Json;
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, MutatingWebhookConfigurationFactory.Path))
            {
                Content = content,
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.Add(Header, "1");
            using var reply = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return (reply.StatusCode == HttpStatusCode.OK ? null : $"{address} answered {(int)reply.StatusCode}", false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return ($"{address}: {e.InnerException?.Message ?? e.Message}", false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, false);
        }
    }
}
