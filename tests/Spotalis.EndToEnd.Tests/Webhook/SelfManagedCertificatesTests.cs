using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Certificates;
using Spotalis.Simulator.Http;
using k8s;
using k8s.Models;

namespace Spotalis.EndToEnd.Tests.Webhook;

/// <summary>Self-managed certificates through the real Kubernetes client against the simulator's HTTP API.</summary>
public sealed class SelfManagedCertificatesTests : IAsyncLifetime
{
    private static readonly WebhookOptions Options = new();
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"spotalis-certs-{Guid.NewGuid():N}.yaml");
    private SimulatorServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatorServer.StartAsync();
        _server.Api.EnsureNamespace(Options.ServiceNamespace);
        _server.WriteKubeconfig(_kubeconfig);
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_kubeconfig));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        File.Delete(_kubeconfig);
    }

    private SelfManagedCertificates Replica(TimeProvider time) =>
        new(_client, Options, time, NullLogger<SelfManagedCertificates>.Instance);

    private (V1Secret Secret, string CaBundle) Stored()
    {
        var secret = _server.Api.Get<V1Secret>(Options.ServiceNamespace, Options.SelfManagedSecretName)!;
        var configuration = _server.Api.Get<V1MutatingWebhookConfiguration>(null, Options.ConfigurationName)!;
        var bundles = configuration.Webhooks.Select(w => Encoding.UTF8.GetString(w.ClientConfig.CaBundle)).Distinct().ToList();
        return (secret, Assert.Single(bundles));
    }

    private static string Text(V1Secret secret, string key) => Encoding.UTF8.GetString(secret.Data[key]);

    [Fact]
    public async Task Replicas_share_one_bundle_the_ca_bundle_follows_it_and_rotation_happens_before_expiry()
    {
        var time = new ManualClock(DateTimeOffset.UtcNow);

        // First replica creates CA, serving certificate, Secret and configuration.
        using var first = Replica(time);
        await first.EnsureAsync(CancellationToken.None);
        var (secret, caBundle) = Stored();
        Assert.Equal("kubernetes.io/tls", secret.Type);
        Assert.Equal(Text(secret, "ca-bundle.crt"), caBundle);
        Assert.Equal(Text(secret, "tls.crt").TrimEnd(), first.Current!.ExportCertificatePem().TrimEnd());

        // A second replica adopts the stored bundle instead of minting its own.
        using var second = Replica(time);
        await second.EnsureAsync(CancellationToken.None);
        Assert.Equal(first.Current.Thumbprint, second.Current!.Thumbprint);

        // Eight months later the serving certificate is renewed under the same CA: the caBundle does not change.
        time.Advance(TimeSpan.FromDays(250));
        await second.EnsureAsync(CancellationToken.None);
        var (renewed, renewedBundle) = Stored();
        Assert.NotEqual(first.Current.Thumbprint, second.Current!.Thumbprint);
        Assert.Equal(caBundle, renewedBundle);
        Assert.Equal(Text(secret, "ca.crt"), Text(renewed, "ca.crt"));
        Assert.True(second.Current.NotAfter > time.GetUtcNow().UtcDateTime.AddDays(300));

        // Seven years on, the CA itself is replaced; the configuration trusts both until the old one expires.
        time.Advance(TimeSpan.FromDays(365 * 7));
        await first.EnsureAsync(CancellationToken.None);
        var (rotated, rotatedBundle) = Stored();
        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPem(rotatedBundle);
        Assert.Equal(2, trusted.Count);
        Assert.NotEqual(Text(secret, "ca.crt"), Text(rotated, "ca.crt"));
        Assert.Contains(Text(secret, "ca.crt").TrimEnd(), rotatedBundle, StringComparison.Ordinal);
        Assert.Contains(Text(rotated, "ca.crt").TrimEnd(), rotatedBundle, StringComparison.Ordinal);
        Assert.Equal(Text(rotated, "tls.crt").TrimEnd(), first.Current!.ExportCertificatePem().TrimEnd());
    }

    [Fact]
    public async Task Configuration_installed_by_the_chart_keeps_its_selectors_and_only_gets_the_ca_bundle()
    {
        var installed = MutatingWebhookConfigurationFactory.ForService(
            Options.ConfigurationName, Options.ServiceName, Options.ServiceNamespace, caBundlePem: "");
        installed.Webhooks[0].NamespaceSelector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "team", OperatorProperty = "In", Values = ["payments"] }],
        };
        await _server.Api.CreateAsync(installed);

        using var replica = Replica(TimeProvider.System);
        await replica.EnsureAsync(CancellationToken.None);

        var (secret, caBundle) = Stored();
        Assert.Equal(Text(secret, "ca-bundle.crt"), caBundle);
        var stored = _server.Api.Get<V1MutatingWebhookConfiguration>(null, Options.ConfigurationName)!;
        Assert.Equal("team", Assert.Single(stored.Webhooks[0].NamespaceSelector.MatchExpressions).Key);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
