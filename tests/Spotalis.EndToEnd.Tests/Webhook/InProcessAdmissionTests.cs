using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Core.Capacity;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Placement;

namespace Spotalis.EndToEnd.Tests.Webhook;

/// <summary>The what-if path: the same AdmissionHandler registered as an in-process admission plugin, no TLS.</summary>
public sealed class InProcessAdmissionTests : IAsyncLifetime
{
    private WebhookEnvironment _environment = null!;

    public async Task InitializeAsync()
    {
        _environment = await WebhookEnvironment.StartAsync();
        await _environment.StartOperatorAsync(webhookEnabled: false);
    }

    public async Task DisposeAsync() => await _environment.DisposeAsync();

    [Fact]
    public async Task Handler_registered_as_an_in_process_plugin_places_a_burst_on_the_split()
    {
        var env = _environment;
        var handler = new AdmissionHandler(
            env.Operator!.Cache,
            WebhookPlacementSettings.Default,
            new WebhookMetrics(Prometheus.Metrics.NewCustomRegistry()),
            NullLogger<AdmissionHandler>.Instance);
        // The API server's default webhook timeout: a review that outlives a shorter one on a busy machine is admitted
        // unpatched (failurePolicy Ignore), which tests the timeout rather than the placement.
        using var registration = env.Api.RegisterAdmissionPlugin(handler.ReviewAsync, "spotalis.io", ignoreFailures: true, TimeSpan.FromSeconds(10));
        await env.CreateNamespaceAsync("shop", optedIn: true);

        await env.CreateDeploymentAsync("shop", "api", 20, 70, enabled: null);

        await WebhookEnvironment.Eventually(
            () => env.Pods("shop", "api") is { Count: 20 } pods && pods.All(p => env.NodeCapacityType(p) is not null),
            "20 pods scheduled");
        var pods = env.Pods("shop", "api");
        Assert.All(pods, p => Assert.True(p.Metadata.Labels?.ContainsKey(SpotalisKeys.CapacityType) == true, $"{p.Metadata.Name} was admitted without the webhook's placement"));
        Assert.Equal(14, pods.Count(p => env.NodeCapacityType(p) == "spot"));
        Assert.Equal(6, pods.Count(p => env.NodeCapacityType(p) == "on-demand"));
        Assert.All(pods, p => Assert.Equal(env.NodeCapacityType(p), p.Metadata.Labels[SpotalisKeys.CapacityType]));
    }
}
