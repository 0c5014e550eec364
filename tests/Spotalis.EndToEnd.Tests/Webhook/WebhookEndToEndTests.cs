using Spotalis.Core.Capacity;

namespace Spotalis.EndToEnd.Tests.Webhook;

public sealed class WebhookEndToEndTests : IAsyncLifetime
{
    private WebhookEnvironment _environment = null!;

    public async Task InitializeAsync()
    {
        _environment = await WebhookEnvironment.StartAsync();
        await _environment.StartOperatorAsync();
    }

    public async Task DisposeAsync() => await _environment.DisposeAsync();

    [Fact]
    public async Task Fifty_replicas_at_seventy_percent_created_in_one_step_land_35_15_without_evictions()
    {
        var env = _environment;
        await env.CreateNamespaceAsync("shop", optedIn: false);

        await env.CreateDeploymentAsync("shop", "api", 50, 70, enabled: "true");

        await WebhookEnvironment.Eventually(
            () => env.Pods("shop", "api") is { Count: 50 } pods && pods.All(p => env.NodeCapacityType(p) is not null),
            "50 pods scheduled on nodes");
        var pods = env.Pods("shop", "api");
        Assert.Equal(35, pods.Count(p => p.Metadata.Labels[SpotalisKeys.CapacityType] == "spot"));
        Assert.Equal(15, pods.Count(p => p.Metadata.Labels[SpotalisKeys.CapacityType] == "on-demand"));
        Assert.Equal(35, pods.Count(p => env.NodeCapacityType(p) == "spot"));
        Assert.Equal(15, pods.Count(p => env.NodeCapacityType(p) == "on-demand"));
        Assert.All(pods, p => Assert.True(p.Metadata.Annotations?.ContainsKey(SpotalisKeys.PodDeletionCost)));

        // Give the controller a few reconcile rounds: the split is right, so it must not move anything.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(env.RemovedPods.Keys, k => k.StartsWith("shop/", StringComparison.Ordinal));
        Assert.Equal(50, env.Pods("shop", "api").Count);
    }

    [Fact]
    public async Task Pods_of_workloads_not_opted_in_are_untouched()
    {
        var env = _environment;
        await env.CreateNamespaceAsync("plain", optedIn: false);
        await env.CreateNamespaceAsync("team", optedIn: true);

        await env.CreateDeploymentAsync("plain", "web", 3, 100, enabled: null);
        await env.CreateDeploymentAsync("team", "batch", 3, 100, enabled: "false");
        await env.CreateDeploymentAsync("team", "api", 2, 100, enabled: null);

        await WebhookEnvironment.Eventually(
            () => env.Pods("plain", "web").Count == 3 && env.Pods("team", "batch").Count == 3 && env.Pods("team", "api").Count == 2,
            "every pod to be created");
        Assert.All(env.Pods("plain", "web").Concat(env.Pods("team", "batch")), pod =>
        {
            Assert.False(pod.Metadata.Labels.ContainsKey(SpotalisKeys.CapacityType));
            Assert.False(pod.Metadata.Annotations?.ContainsKey(SpotalisKeys.PodDeletionCost) ?? false);
            Assert.Null(pod.Spec.Affinity?.NodeAffinity);
        });

        // The namespace opt-in reaches pods of an unlabelled workload in it.
        Assert.All(env.Pods("team", "api"), pod => Assert.Equal("spot", pod.Metadata.Labels[SpotalisKeys.CapacityType]));
    }
}
