using System.Net;
using Spotalis.EndToEnd.Tests.Operator;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.EndToEnd.Tests.Webhook;

/// <summary>
/// <c>/readyz</c> includes the webhook: a replica whose webhook cannot answer yet (here: cert-manager has not written
/// the certificate) says why and gets no admission traffic from its Service; once it can, it is ready without a restart.
/// </summary>
public sealed class WebhookReadinessTests : IDisposable
{
    private readonly string _certDir = Directory.CreateTempSubdirectory("spotalis-webhook-readiness-").FullName;

    public void Dispose() => Directory.Delete(_certDir, recursive: true);

    [Fact]
    public async Task Readyz_says_why_until_the_certificate_arrives_then_is_ok_and_the_warm_up_review_is_in_no_metric()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        HandMadeObjects.CreateNodes(cluster.Api);
        var config = OperatorTestCluster.FastConfig() with
        {
            Webhook = new WebhookSettings { Enabled = true, Port = 0, CertDir = _certDir },
        };
        var host = await cluster.StartOperatorAsync(config, new OperatorHostOptions
        {
            LoggerFactory = TestLogging.Factory,
            ConfigureWebhook = webhook => webhook with { CertificatePollInterval = TimeSpan.FromMilliseconds(200) },
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var readyz = new Uri(host.HealthUri, "/readyz");

        await OperatorTestCluster.WaitForAsync(
            () => ReadinessAsync(http, readyz).GetAwaiter().GetResult().Body.Contains("no serving certificate yet", StringComparison.Ordinal),
            "/readyz to name the missing certificate");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ReadinessAsync(http, readyz)).Status);

        var bundle = WebhookCertificateIssuer.CreateBundle(["127.0.0.1", "localhost"], DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(Path.Combine(_certDir, FileCertificateSource.KeyFile), bundle.KeyPem);
        await File.WriteAllTextAsync(Path.Combine(_certDir, FileCertificateSource.CertificateFile), bundle.CertificatePem);

        await OperatorTestCluster.WaitForAsync(
            () => ReadinessAsync(http, readyz).GetAwaiter().GetResult().Status == HttpStatusCode.OK,
            "/readyz to turn green once the certificate is on disk");
        var metrics = await http.GetStringAsync(new Uri(host.MetricsUri, "/metrics"));
        Assert.Contains("\nspotalis_webhook_duration_seconds_count 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("spotalis_webhook_requests_total{result=\"skipped\"} 0", metrics, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(HttpClient http, Uri readyz)
    {
        using var reply = await http.GetAsync(readyz);
        return (reply.StatusCode, await reply.Content.ReadAsStringAsync());
    }
}
