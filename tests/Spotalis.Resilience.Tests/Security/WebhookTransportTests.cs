using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Hosting;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Certificates;
using Spotalis.Operator.Webhook.Placement;
using Spotalis.Resilience.Tests.Support;

namespace Spotalis.Resilience.Tests.Security;

/// <summary>
/// The webhook's HTTPS listener against hostile clients: old TLS versions, oversized headers and bodies (also
/// streamed without a length), and random bodies — never a 5xx, never a crash, garbage gets 400.
/// </summary>
public sealed class WebhookTransportTests : IAsyncLifetime
{
    private readonly CertificateBundle _bundle = WebhookCertificateIssuer.CreateBundle(["127.0.0.1"], DateTimeOffset.UtcNow);
    private WebhookEndpoint? _server;
    private EndpointHost? _host;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        var handler = new AdmissionHandler(
            new FixedClusterView(),
            WebhookPlacementSettings.Default with { OwnerWaitTimeout = TimeSpan.Zero },
            new WebhookMetrics(Prometheus.Metrics.NewCustomRegistry()),
            NullLogger<AdmissionHandler>.Instance);
        _server = new WebhookEndpoint(new WebhookOptions { Port = 0, ListenAddress = "127.0.0.1", CertDir = "/unused" }, handler, new StaticCertificateSource(_bundle.LoadServingCertificate()), NullLoggerFactory.Instance);
        _host = await EndpointHost.StartAsync(_server, NullLoggerFactory.Instance);
        _client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, _) => IssuedByWebhookCa(certificate) },
        })
        { Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private Uri Endpoint => new(_server!.Address!, MutatingWebhookConfigurationFactory.Path);

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Tls_1_2_and_1_3_handshakes_succeed(SslProtocols protocol)
    {
        Assert.Equal(protocol, await HandshakeAsync(protocol));
    }

    [Theory]
#pragma warning disable SYSLIB0039, CA5397 // Old protocols on purpose: the server must refuse them.
    [InlineData(SslProtocols.Tls11)]
    [InlineData(SslProtocols.Tls)]
#pragma warning restore SYSLIB0039, CA5397
    public async Task Tls_below_1_2_is_refused(SslProtocols protocol)
    {
        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(protocol));
    }

    [Fact]
    public async Task Oversized_headers_get_431_not_a_crash()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Padding", new string('a', 64 * 1024));
        using var response = await _client!.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        await Answers_a_well_formed_review();
    }

    [Fact]
    public async Task A_streamed_body_without_length_over_the_limit_is_refused()
    {
        using var content = new StreamContent(new ChunkedGarbage(WebhookEndpoint.MaxRequestBodyBytes + 1024 * 1024));
        using var response = await _client!.PostAsync(Endpoint, content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Answers_a_well_formed_review();
    }

    [Fact]
    public async Task Answers_a_well_formed_review()
    {
        using var content = new StringContent(Reviews.Review(Reviews.Pod("api-abc123")).ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _client!.PostAsync(Endpoint, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Random_bodies_over_https_get_200_or_400_never_5xx()
    {
        var random = new Random(11);
        var tasks = Enumerable.Range(0, 200).Select(async i =>
        {
            var body = i % 2 == 0
                ? RandomJson.Create(random)?.ToJsonString() ?? "null"
                : Reviews.Review(Reviews.Pod(i % 3 == 0 ? "api-abc123" : "plain-abc123")).ToJsonString()[..random.Next(1, 300)];
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await _client!.PostAsync(Endpoint, content);
            return (int)response.StatusCode;
        }).ToList();
        var statuses = await Task.WhenAll(tasks);
        Assert.All(statuses, s => Assert.Contains(s, new[] { 200, 400 }));
        Assert.Contains(400, statuses);
    }

    private async Task<SslProtocols> HandshakeAsync(SslProtocols protocol)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _server!.Address!.Port);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            EnabledSslProtocols = protocol,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => IssuedByWebhookCa(certificate),
        });
        return ssl.SslProtocol;
    }

    private bool IssuedByWebhookCa(System.Security.Cryptography.X509Certificates.X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var served = new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate);
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.ImportFromPem(_bundle.CaBundlePem);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        return chain.Build(served);
    }

    /// <summary>A stream of a given length whose length is unknown to the client, so it is sent chunked.</summary>
    private sealed class ChunkedGarbage(long length) : Stream
    {
        private long _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _sent; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _sent);
            Array.Fill(buffer, (byte)'x', offset, n);
            _sent += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
