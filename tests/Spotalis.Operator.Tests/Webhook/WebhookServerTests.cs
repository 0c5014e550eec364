using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Hosting;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.Operator.Tests.Webhook;

/// <summary>The real Kestrel listener over TLS, verified against the webhook's CA like the apiserver does.</summary>
public sealed class WebhookServerTests : IAsyncLifetime
{
    private readonly WebhookTestContext _context = new();
    private readonly CertificateBundle _bundle = WebhookCertificateIssuer.CreateBundle(["127.0.0.1", "localhost"], DateTimeOffset.UtcNow);
    private WebhookEndpoint? _server;
    private EndpointHost? _host;
    private HttpClient? _client;
    private string? _servedThumbprint;

    public async Task InitializeAsync()
    {
        _context.View.AddDeployment("shop", "api", 10, WebhookTestContext.OptedIn, WebhookTestContext.Split(100));
        var options = new WebhookOptions { Port = 0, ListenAddress = "127.0.0.1", CertDir = "/unused" };
        _server = new WebhookEndpoint(options, _context.Handler, new StaticCertificateSource(_bundle.LoadServingCertificate()), NullLoggerFactory.Instance);
        _host = await EndpointHost.StartAsync(_server, NullLoggerFactory.Instance);
        _client = TrustingOnly(_bundle.CaBundlePem, t => _servedThumbprint = t);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    internal static HttpClient TrustingOnly(string caPem, Action<string>? onCertificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var served = new X509Certificate2(certificate);
                    onCertificate?.Invoke(served.Thumbprint);
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.ImportFromPem(caPem);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(served);
                },
            },
            PooledConnectionLifetime = TimeSpan.Zero,
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    private Uri Endpoint => new(_server!.Address!, MutatingWebhookConfigurationFactory.Path);

    [Fact]
    public async Task Review_over_tls_is_answered_with_a_patch()
    {
        var pod = TestPods.DeploymentPod();
        using var content = new StringContent(TestPods.Review(pod, uid: "abc"), Encoding.UTF8, "application/json");

        using var response = await _client!.PostAsync(Endpoint, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var review = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("abc", review["response"]!["uid"]!.GetValue<string>());
        Assert.NotNull(review["response"]!["patch"]);
        using var served = _bundle.LoadServingCertificate();
        Assert.Equal(served.Thumbprint, _servedThumbprint);
    }

    [Fact]
    public async Task Garbage_gets_400_with_the_reason()
    {
        using var content = new StringContent("{\"hello\":", Encoding.UTF8, "application/json");

        using var response = await _client!.PostAsync(Endpoint, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_over_three_mebibytes_is_refused()
    {
        // Expect: 100-continue lets the server refuse before the client uploads, as the apiserver's client would see it.
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new ByteArrayContent(new byte[(int)WebhookEndpoint.MaxRequestBodyBytes + 1]),
        };
        request.Headers.ExpectContinue = true;

        using var response = await _client!.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Client_not_trusting_the_ca_cannot_connect()
    {
        var other = WebhookCertificateIssuer.CreateBundle(["127.0.0.1"], DateTimeOffset.UtcNow);
        using var client = TrustingOnly(other.CaBundlePem);
        using var content = new StringContent(TestPods.Review(TestPods.DeploymentPod()), Encoding.UTF8, "application/json");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(Endpoint, content));
    }

    [Fact]
    public async Task Other_paths_and_methods_are_not_served()
    {
        using var response = await _client!.GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
