using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Tests.Webhook;
using Spotalis.Operator.Webhook.Certificates;
using Spotalis.Testing;

namespace Spotalis.Operator.Tests.Hosting;

public sealed class MetricsTlsTests : IDisposable
{
    private readonly string _certDir = Directory.CreateTempSubdirectory("spotalis-metrics-tls-").FullName;

    public void Dispose() => Directory.Delete(_certDir, recursive: true);

    [Fact]
    public async Task Metrics_are_served_over_https_with_the_files_certificate_and_health_stays_plain_http()
    {
        var bundle = WriteCertificate();
        var (server, host) = await StartAsync();
        await using var serving = host;

        Assert.Equal("https", server.MetricsUri.Scheme);
        using var trusting = TrustingClient(bundle.CaBundlePem, out _);
        var metrics = await trusting.GetStringAsync(new Uri(server.MetricsUri, "/metrics"));
        Assert.Contains("spotalis_cache_synced", metrics, StringComparison.Ordinal);

        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("http", server.HealthUri.Scheme);
        Assert.Equal("ok", await plain.GetStringAsync(new Uri(server.HealthUri, "/healthz")));
        var plainToMetrics = new UriBuilder(server.MetricsUri) { Scheme = "http" }.Uri;
        var refused = await Record.ExceptionAsync(async () =>
        {
            using var response = await plain.GetAsync(new Uri(plainToMetrics, "/metrics"));
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        });
        Assert.True(refused is null or HttpRequestException, $"plain HTTP to the TLS port: {refused}");
    }

    [Fact]
    public async Task A_renewed_certificate_on_disk_is_served_without_a_restart()
    {
        var first = WriteCertificate();
        var (server, host) = await StartAsync();
        await using var serving = host;
        using var firstServing = first.LoadServingCertificate();
        Assert.Equal(firstServing.Thumbprint, await ServedThumbprintAsync(server, first.CaBundlePem));

        var second = WriteCertificate();
        using var secondServing = second.LoadServingCertificate();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string? served;
        do
        {
            await Task.Delay(100);
            served = await ServedThumbprintAsync(server, second.CaBundlePem);
        }
        while (served != secondServing.Thumbprint && DateTime.UtcNow < deadline);

        Assert.Equal(secondServing.Thumbprint, served);
    }

    [Fact]
    public async Task A_cert_dir_without_a_usable_pair_stops_the_start_with_a_message_naming_the_key()
    {
        await File.WriteAllTextAsync(Path.Combine(_certDir, FileCertificateSource.CertificateFile), "not a certificate");

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => StartAsync());

        Assert.Contains("metrics.certDir", error.Message, StringComparison.Ordinal);
        Assert.Contains(_certDir, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_tls_on_the_health_address_is_a_configuration_problem()
    {
        var config = new SpotalisConfig
        {
            Metrics = new EndpointSettings("0.0.0.0:8080") { CertDir = _certDir },
            Health = new EndpointSettings("0.0.0.0:8080"),
        };

        var problem = Assert.Single(ConfigurationLoader.Validate(config), p => p.StartsWith("metrics.certDir", StringComparison.Ordinal));
        Assert.Contains("health.address", problem, StringComparison.Ordinal);
    }

    private CertificateBundle WriteCertificate()
    {
        var bundle = WebhookCertificateIssuer.CreateBundle(["127.0.0.1"], DateTimeOffset.UtcNow);
        // Key first: a reload between the two writes sees a mismatched pair and keeps the current certificate.
        File.WriteAllText(Path.Combine(_certDir, FileCertificateSource.KeyFile), bundle.KeyPem);
        File.WriteAllText(Path.Combine(_certDir, FileCertificateSource.CertificateFile), bundle.CertificatePem);
        return bundle;
    }

    private async Task<(ObservabilityEndpoints Endpoints, EndpointHost Host)> StartAsync()
    {
        var config = new SpotalisConfig
        {
            Metrics = new EndpointSettings($"127.0.0.1:{LoopbackPort.Free()}") { CertDir = _certDir },
            Health = new EndpointSettings($"127.0.0.1:{LoopbackPort.Free()}"),
        };
        var endpoints = new ObservabilityEndpoints(config, new OperatorMetrics(), new InMemoryClusterView(), NullLoggerFactory.Instance);
        return (endpoints, await EndpointHost.StartAsync(endpoints, NullLoggerFactory.Instance));
    }

    private static async Task<string?> ServedThumbprintAsync(ObservabilityEndpoints server, string caPem)
    {
        using var client = TrustingClient(caPem, out var served);
        try
        {
            using var response = await client.GetAsync(new Uri(server.MetricsUri, "/metrics"));
        }
        catch (HttpRequestException)
        {
            // Not yet trusted by this CA: the served thumbprint is still recorded.
        }

        return served.Value;
    }

    private static HttpClient TrustingClient(string caPem, out StrongBox<string?> served)
    {
        var box = served = new StrongBox<string?>();
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                box.Value = certificate.Thumbprint;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.ImportFromPem(caPem);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }
}
