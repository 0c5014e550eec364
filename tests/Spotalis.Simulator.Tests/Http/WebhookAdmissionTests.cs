using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Spotalis.Simulator.Tests.Http;

public sealed class WebhookAdmissionTests(SimulatorFixture sim, TestWebhookServer webhook) : IClassFixture<SimulatorFixture>, IClassFixture<TestWebhookServer>
{
    [Fact]
    public async Task A_matching_webhook_patches_created_pods_with_a_fresh_uid_per_request()
    {
        var ns = sim.NewNamespace();
        await RegisterAsync(ns, "mutate", "Fail", webhook.CaPem);

        var first = await sim.Client.CoreV1.CreateNamespacedPodAsync(ClientTests.Pod("a", ns), ns);
        var second = await sim.Client.CoreV1.CreateNamespacedPodAsync(ClientTests.Pod("b", ns), ns);

        Assert.Equal("spot", first.Metadata.Labels["spotalis.io/capacity-type"]);
        Assert.Equal("spot", second.Metadata.Labels["spotalis.io/capacity-type"]);
        Assert.Equal(webhook.SeenUids.Count, webhook.SeenUids.Distinct().Count());
    }

    [Fact]
    public async Task Pods_outside_the_namespace_selector_are_not_sent()
    {
        var ns = sim.NewNamespace();
        var other = sim.NewNamespace();
        await RegisterAsync(ns, "mutate", "Fail", webhook.CaPem);

        var pod = await sim.Client.CoreV1.CreateNamespacedPodAsync(ClientTests.Pod("a", other), other);

        Assert.False(pod.Metadata.Labels.ContainsKey("spotalis.io/capacity-type"));
    }

    [Fact]
    public async Task A_timeout_with_failurePolicy_Ignore_admits_the_pod_unpatched()
    {
        var ns = sim.NewNamespace();
        await RegisterAsync(ns, "slow", "Ignore", webhook.CaPem);

        var pod = await sim.Client.CoreV1.CreateNamespacedPodAsync(ClientTests.Pod("a", ns), ns);

        Assert.False(pod.Metadata.Labels.ContainsKey("spotalis.io/capacity-type"));
        Assert.NotNull(sim.Api.Get<V1Pod>(ns, "a"));
    }

    [Fact]
    public async Task A_timeout_with_failurePolicy_Fail_rejects_the_pod()
    {
        var ns = sim.NewNamespace();
        await RegisterAsync(ns, "slow", "Fail", webhook.CaPem);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => sim.Client.CoreV1.CreateNamespacedPodAsync(ClientTests.Pod("a", ns), ns));

        Assert.Equal(HttpStatusCode.InternalServerError, error.Response.StatusCode);
        Assert.Contains("failed calling webhook", error.Response.Content, StringComparison.Ordinal);
        Assert.Null(sim.Api.Get<V1Pod>(ns, "a"));
    }

    [Fact]
    public async Task A_certificate_not_signed_by_the_caBundle_is_a_webhook_failure()
    {
        var ns = sim.NewNamespace();
        var foreignCa = Spotalis.Simulator.Tests.Http.ForeignCa.Pem;
        await RegisterAsync(ns, "mutate", "Fail", foreignCa);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => sim.Client.CoreV1.CreateNamespacedPodAsync(ClientTests.Pod("a", ns), ns));

        Assert.Equal(HttpStatusCode.InternalServerError, error.Response.StatusCode);
        Assert.Empty(sim.Api.List<V1Pod>(ns));
    }

    private Task<V1MutatingWebhookConfiguration> RegisterAsync(string ns, string path, string failurePolicy, string caPem) =>
        sim.Client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(new V1MutatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = $"test-{ns}" },
            Webhooks =
            [
                new V1MutatingWebhook
                {
                    Name = "pods.test.spotalis.io",
                    AdmissionReviewVersions = ["v1"],
                    SideEffects = "None",
                    FailurePolicy = failurePolicy,
                    TimeoutSeconds = 2,
                    ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = new Uri(webhook.BaseAddress, path).ToString(), CaBundle = Encoding.UTF8.GetBytes(caPem) },
                    Rules = [new V1RuleWithOperations { Operations = ["CREATE"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"] }],
                    NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns } },
                },
            ],
        });
}

/// <summary>A CA that signed nothing the test webhook serves.</summary>
internal static class ForeignCa
{
    public static string Pem { get; } = Create();

    private static string Create()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=foreign", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return ca.ExportCertificatePem();
    }
}
