using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Hosting;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.Operator.Tests.Webhook;

public sealed class WebhookCertificateRotationTests
{
    [Fact]
    public async Task Rewritten_certificate_files_are_served_on_new_connections_without_restart()
    {
        var directory = Directory.CreateTempSubdirectory("spotalis-rotation-");
        var context = new WebhookTestContext();
        var first = WebhookCertificateIssuer.CreateBundle(["127.0.0.1"], DateTimeOffset.UtcNow);
        var second = WebhookCertificateIssuer.RenewServing(first, ["127.0.0.1"], DateTimeOffset.UtcNow);
        File.WriteAllText(Path.Combine(directory.FullName, "tls.crt"), first.CertificatePem);
        File.WriteAllText(Path.Combine(directory.FullName, "tls.key"), first.KeyPem);
        var options = new WebhookOptions { Port = 0, ListenAddress = "127.0.0.1", CertDir = directory.FullName, CertificatePollInterval = TimeSpan.FromMilliseconds(200) };
        using var source = new FileCertificateSource(directory.FullName, options.CertificatePollInterval, NullLogger<FileCertificateSource>.Instance);
        var server = new WebhookEndpoint(options, context.Handler, source, NullLoggerFactory.Instance);
        var host = await EndpointHost.StartAsync(server, NullLoggerFactory.Instance);
        try
        {
            string? served = null;
            using var client = WebhookServerTests.TrustingOnly(first.CaBundlePem, t => served = t);
            var endpoint = new Uri(server.Address!, MutatingWebhookConfigurationFactory.Path);
            async Task<HttpStatusCode> Post()
            {
                using var content = new StringContent(TestPods.Review(TestPods.DeploymentPod()), Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(endpoint, content);
                return response.StatusCode;
            }

            Assert.Equal(HttpStatusCode.OK, await Post());
            using (var firstCertificate = first.LoadServingCertificate())
            {
                Assert.Equal(firstCertificate.Thumbprint, served);
            }

            File.WriteAllText(Path.Combine(directory.FullName, "tls.crt"), second.CertificatePem);
            File.WriteAllText(Path.Combine(directory.FullName, "tls.key"), second.KeyPem);
            using var secondCertificate = second.LoadServingCertificate();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            do
            {
                Assert.Equal(HttpStatusCode.OK, await Post());
                if (served == secondCertificate.Thumbprint)
                {
                    break;
                }

                await Task.Delay(100);
            }
            while (DateTime.UtcNow < deadline);

            Assert.Equal(secondCertificate.Thumbprint, served);
        }
        finally
        {
            await host.DisposeAsync();
            directory.Delete(true);
        }
    }
}
