using System.Runtime;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Prometheus;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;
using Spotalis.Operator.Leadership;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Certificates;
using Spotalis.Operator.Webhook.Placement;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>
/// <c>webhook-serve</c> (hidden, started by <see cref="WebhookLatencyBenchmark"/>): the server side of the benchmark in
/// its own process, so the load generator does not share its GC, thread pool or JIT. Runs the real
/// <see cref="WebhookEndpoint"/> (with the operator's default logging), a second one that hands every review to the first
/// as a follower replica does (<see cref="AdmissionForwarder"/>, over loopback HTTPS), and the plain Kestrel TLS
/// endpoint, prints one
/// <c>ready</c> line with both addresses, the CA file and a sample AdmissionReview file (for outside clients such as
/// <c>wrk</c>), answers <c>stats</c> on stdin with a <see cref="ServerStats"/>
/// line, and exits when stdin closes.
/// </summary>
internal static class WebhookServeMode
{
    public const string ReadyPrefix = "webhook-serve ready ";
    public const string StatsPrefix = "webhook-serve stats ";

    public static async Task<int> RunAsync()
    {
        var bundle = WebhookCertificateIssuer.CreateBundle(["127.0.0.1"], DateTimeOffset.UtcNow);
        using var certificate = bundle.LoadServingCertificate();
        var caPath = Path.Combine(Path.GetTempPath(), $"spotalis-webhook-bench-{Environment.ProcessId}-ca.pem");
        await File.WriteAllTextAsync(caPath, bundle.CaBundlePem);

        // The operator's own logging set-up at its defaults (JSON console, Information): what `spotalis run` pays per request.
        using var loggerFactory = LoggerFactory.Create(logging => OperatorLogging.Configure(logging, new SpotalisConfig()));
        var handler = new AdmissionHandler(
            new BenchClusterView(WebhookLatencyBenchmark.Workloads, 20),
            WebhookPlacementSettings.Default,
            new WebhookMetrics(Metrics.NewCustomRegistry()),
            loggerFactory.CreateLogger<AdmissionHandler>(),
            TimeProvider.System);
        var review = RealisticPod.Reviews(1)[0];
        var reviewPath = Path.Combine(Path.GetTempPath(), $"spotalis-webhook-bench-{Environment.ProcessId}-review.json");
        await File.WriteAllBytesAsync(reviewPath, review);
        var sample = handler.Handle(review);

        var webhook = new WebhookEndpoint(
            new WebhookOptions { Port = 0, ListenAddress = "127.0.0.1", CertDir = "unused" },
            handler,
            new StaticCertificateSource(certificate),
            loggerFactory);
        var leaderUri = new Uri[1];
        using var forwarder = new AdmissionForwarder(
            FixedLeadership.Follower,
            () => leaderUri[0],
            new StaticCertificateSource(certificate),
            new WebhookMetrics(Metrics.NewCustomRegistry()),
            TimeSpan.FromMilliseconds(750),
            loggerFactory.CreateLogger<AdmissionForwarder>());
        var follower = new WebhookEndpoint(
            new WebhookOptions { Port = 0, ListenAddress = "127.0.0.1", CertDir = "unused" },
            handler,
            new StaticCertificateSource(certificate),
            loggerFactory,
            forwarder);
        using var sampler = new ServerStatsSampler();
        EndpointHost? webhookHost = null;
        EndpointHost? followerHost = null;
        try
        {
            webhookHost = await EndpointHost.StartAsync(webhook, loggerFactory);
            leaderUri[0] = new Uri(webhook.Address!, MutatingWebhookConfigurationFactory.Path);
            followerHost = await EndpointHost.StartAsync(follower, loggerFactory);
            await using var plain = await PlainTlsEndpoint.StartAsync(certificate, new byte[sample.Body.Length]);
            var ready = new ServerReady(
                new Uri(webhook.Address!, MutatingWebhookConfigurationFactory.Path).ToString(),
                plain.Address.ToString(),
                caPath,
                reviewPath,
                sample.Body.Length,
                GCSettings.IsServerGC,
                GCSettings.LatencyMode.ToString(),
                Environment.ProcessId,
                new Uri(follower.Address!, MutatingWebhookConfigurationFactory.Path).ToString());
            Console.WriteLine(ReadyPrefix + JsonSerializer.Serialize(ready));

            while (await Console.In.ReadLineAsync() is { } line)
            {
                if (line == "stats")
                {
                    Console.WriteLine(StatsPrefix + JsonSerializer.Serialize(sampler.Read()));
                }
            }
        }
        finally
        {
            if (followerHost is not null)
            {
                await followerHost.DisposeAsync();
            }

            if (webhookHost is not null)
            {
                await webhookHost.DisposeAsync();
            }
            File.Delete(caPath);
            File.Delete(reviewPath);
        }

        return 0;
    }
}
