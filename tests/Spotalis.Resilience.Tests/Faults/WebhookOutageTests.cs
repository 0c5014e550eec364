using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Simulator.Faults;

namespace Spotalis.Resilience.Tests.Faults;

/// <summary>What the simulated apiserver does when the operator's webhook is unreachable: it still creates the pods (failurePolicy Ignore), unplaced.</summary>
public sealed class WebhookOutageTests
{
    private const string CapacityLabel = "spotalis.io/capacity-type";

    [Theory]
    [InlineData(WebhookOutage.ConnectionRefused)]
    [InlineData(WebhookOutage.Timeout)]
    public async Task Pods_are_created_without_placement_while_the_webhook_is_unreachable_and_placed_again_after(WebhookOutage outage)
    {
        await using var env = await FaultEnvironment.StartAsync(NullLoggerFactory.Instance);
        await env.StartOperatorAsync(FaultEnvironment.Config() with { ReadOnly = true });
        env.Faults.Configure(new FaultOptions { WebhookOutage = outage });
        await env.CreateDeploymentAsync("shop", "during", replicas: 2, spotPercentage: 50, minOnDemand: 1);
        await FaultEnvironment.WaitForAsync(() => Pods(env, "during").Count == 2, "both pods created despite the outage");

        Assert.All(Pods(env, "during"), pod => Assert.Null(FaultEnvironment.Label(pod.Metadata.Labels, CapacityLabel)));
        Assert.True(env.Faults.Counts.WebhookCallsFailed >= 2);

        env.Faults.Configure(FaultOptions.None);
        await env.CreateDeploymentAsync("shop", "after", replicas: 2, spotPercentage: 50, minOnDemand: 1);
        await FaultEnvironment.WaitForAsync(() => Pods(env, "after").Count == 2, "pods of a workload created after the outage");
        Assert.All(Pods(env, "after"), pod => Assert.NotNull(FaultEnvironment.Label(pod.Metadata.Labels, CapacityLabel)));
    }

    private static List<V1Pod> Pods(FaultEnvironment env, string app) =>
        [.. env.Api.List<V1Pod>("shop").Where(p => FaultEnvironment.Label(p.Metadata.Labels, "app") == app)];
}
