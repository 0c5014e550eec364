using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using Spotalis.Testing;
using Xunit.Abstractions;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>
/// The real <c>spotalis run</c> process serves its three endpoints from one host: each route answers on its own port
/// only, the webhook answers the first review once <c>/readyz</c> is green, and SIGTERM closes all three.
/// </summary>
public sealed class EndpointPortsProcessTests(ITestOutputHelper output)
{
    private const string Review = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"ports-1","kind":{"group":"","version":"v1","kind":"Pod"},
        "resource":{"group":"","version":"v1","resource":"pods"},"namespace":"default","operation":"CREATE",
        "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}
        """;

    [Fact]
    [Trait("Category", SpotalisExecutable.NativeAotCategory)]
    public async Task Webhook_metrics_and_health_each_answer_on_their_own_port_only_the_webhook_from_readiness_on_and_sigterm_closes_all_three()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        HandMadeObjects.CreateNodes(cluster.Api);
        using var process = SpotalisRunProcess.Start(cluster.KubeconfigPath, "ports", leaderElection: true);
        string? caPem = null;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            // Trusts the webhook's self-managed CA, as the apiserver does through the caBundle.
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => IssuedBy(caPem, certificate) },
        })
        { Timeout = TimeSpan.FromSeconds(10) };
        var metrics = Url("http", process.MetricsPort);
        var health = Url("http", process.HealthPort);
        var webhook = Url("https", process.WebhookPort);
        try
        {
            await OperatorTestCluster.WaitForAsync(() => process.IsReadyAsync().GetAwaiter().GetResult(), "/readyz of the spotalis run process");
            await OperatorTestCluster.WaitForAsync(
                () => cluster.Api.Get<V1MutatingWebhookConfiguration>(null, "spotalis")?.Webhooks is { Count: > 0 } webhooks &&
                      webhooks[0].ClientConfig?.CaBundle is { Length: > 0 },
                "the webhook to be registered with its CA");
            caPem = Encoding.UTF8.GetString(cluster.Api.Get<V1MutatingWebhookConfiguration>(null, "spotalis")!.Webhooks[0].ClientConfig.CaBundle);

            // Ready means the webhook already answered its own warm-up review, and that review is in no admission metric.
            Assert.Contains(process.Lines, line => line.Contains("answered its warm-up review", StringComparison.Ordinal));
            Assert.Contains("\nspotalis_webhook_duration_seconds_count 0\n", await http.GetStringAsync(new Uri(metrics, "/metrics")), StringComparison.Ordinal);
            using (var reply = await http.PostAsync(new Uri(webhook, "/mutate-v1-pod"), new StringContent(Review, Encoding.UTF8, "application/json")))
            {
                var body = await reply.Content.ReadAsStringAsync();
                Assert.Contains("\"uid\":\"ports-1\"", body, StringComparison.Ordinal);
                Assert.Contains("\"allowed\":true", body, StringComparison.Ordinal);
            }

            Assert.Contains("spotalis_cache_synced", await http.GetStringAsync(new Uri(metrics, "/metrics")), StringComparison.Ordinal);
            Assert.Equal("ok", await http.GetStringAsync(new Uri(health, "/healthz")));
            Assert.Equal("ok", await http.GetStringAsync(new Uri(health, "/readyz")));

            // Every route is unknown on the other two ports.
            foreach (var (port, path, method) in new[]
            {
                (metrics, "/mutate-v1-pod", HttpMethod.Post), (health, "/mutate-v1-pod", HttpMethod.Post),
                (health, "/metrics", HttpMethod.Get), (webhook, "/metrics", HttpMethod.Get),
                (metrics, "/healthz", HttpMethod.Get), (webhook, "/healthz", HttpMethod.Get),
                (metrics, "/readyz", HttpMethod.Get), (webhook, "/readyz", HttpMethod.Get),
            })
            {
                Assert.True(await StatusAsync(http, method, port, path) == HttpStatusCode.NotFound, $"{method} {path} on {port} must be 404");
            }

            await process.TerminateAsync();

            Assert.Equal(0, process.ExitCode);
            foreach (var port in new[] { process.MetricsPort, process.HealthPort, process.WebhookPort })
            {
                Assert.False(Accepts(port), $"port {port.ToString(CultureInfo.InvariantCulture)} still accepts connections after SIGTERM");
            }
        }
        catch
        {
            output.WriteLine(string.Join('\n', process.Lines.TakeLast(100)));
            throw;
        }
    }

    private static Uri Url(string scheme, int port) => new($"{scheme}://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, HttpMethod method, Uri server, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(server, path));
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent(Review, Encoding.UTF8, "application/json");
        }

        try
        {
            using var reply = await http.SendAsync(request);
            return reply.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static bool IssuedBy(string? caPem, X509Certificate? certificate)
    {
        if (caPem is null || certificate is null)
        {
            return false;
        }

        using var served = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.ImportFromPem(caPem);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(served);
    }

    private static bool Accepts(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
