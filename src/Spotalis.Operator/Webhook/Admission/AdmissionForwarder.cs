using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Leadership;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.Operator.Webhook.Admission;

/// <summary>
/// Hands an admission review to the leader's webhook, so that one process decides every placement (DESIGN.md
/// invariant 10). The leader must present the same serving certificate as this replica (all replicas serve the one
/// from the shared Secret). Any failure — no leader known, connection refused, timeout, another certificate, a non-200
/// answer — returns null and the caller decides locally: admission never waits on a leader change (invariant 3).
/// </summary>
public sealed partial class AdmissionForwarder : IDisposable
{
    /// <summary>Marks a forwarded review: the receiver decides it itself and never forwards it again.</summary>
    public const string ForwardedHeader = "X-Spotalis-Forwarded";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly ILeadership _leadership;
    private readonly Func<Uri?> _leaderEndpoint;
    private readonly IServingCertificateSource _certificates;
    private readonly WebhookMetrics _metrics;
    private readonly ILogger _logger;
    private readonly HttpClient _http;

    /// <param name="leadership">While this replica leads it decides every review itself.</param>
    /// <param name="leaderEndpoint">The leader's webhook URL, or null when no live leader is known.</param>
    /// <param name="timeout">Upper bound for one forwarded review; after it the review is decided locally.</param>
    public AdmissionForwarder(ILeadership leadership, Func<Uri?> leaderEndpoint, IServingCertificateSource certificates, WebhookMetrics metrics, TimeSpan timeout, ILogger<AdmissionForwarder> logger)
    {
        _leadership = leadership;
        _leaderEndpoint = leaderEndpoint;
        _certificates = certificates;
        _metrics = metrics;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),

            // HTTP/2 to the leader: concurrent reviews share a few connections instead of opening one TLS connection each.
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = timeout,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = IsOurCertificate },
        })
        {
            Timeout = timeout,
        };
    }

    /// <summary>The leader's answer (status 200, its AdmissionReview), or null: decide locally.</summary>
    public async ValueTask<byte[]?> TryForwardAsync(ReadOnlyMemory<byte> review, CancellationToken cancellationToken)
    {
        if (_leadership.IsLeader)
        {
            return null;
        }

        if (_leaderEndpoint() is not { } leader)
        {
            _metrics.Forwarded.WithLabels("no_leader").Inc();
            return null;
        }

        try
        {
            using var content = new ReadOnlyMemoryContent(review);
            content.Headers.ContentType = Json;
            using var request = new HttpRequestMessage(HttpMethod.Post, leader)
            {
                Content = content,
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.Add(ForwardedHeader, "1");
            using var reply = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (reply.StatusCode != HttpStatusCode.OK)
            {
                return Fallback(leader, $"the leader answered {(int)reply.StatusCode}");
            }

            var body = await reply.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            _metrics.Forwarded.WithLabels("leader").Inc();
            return body;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or IOException)
        {
            return Fallback(leader, e.InnerException?.Message ?? e.Message);
        }
    }

    public void Dispose() => _http.Dispose();

    private byte[]? Fallback(Uri leader, string reason)
    {
        _metrics.Forwarded.WithLabels("local").Inc();
        Log.AdmissionDecidedLocally(_logger, leader.ToString(), reason);
        return null;
    }

    private bool IsOurCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        _certificates.IsServing(certificate);
}
