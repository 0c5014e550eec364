using k8s.Models;
using Spotalis.Operator.Observability;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>
/// The operator host against the simulated API server with hand-made objects (no simulated controllers): proves
/// the watch cache, the Eviction API, Events, metrics and health endpoints work over real HTTP.
/// </summary>
public class OperatorOverHttpTests
{
    [Fact]
    public async Task Evicts_one_pod_through_the_eviction_api_and_waits_while_it_terminates()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        HandMadeObjects.CreateNodes(cluster.Api);
        await HandMadeObjects.CreateDeploymentWithPodsAsync(cluster.Api, "shop", "api", replicas: 4, spotPercentage: 50, onDemandPods: 4);

        var host = await cluster.StartOperatorAsync(OperatorTestCluster.FastConfig());
        await OperatorTestCluster.WaitForAsync(
            () => cluster.Api.List<V1Pod>("shop").Any(p => p.Metadata.DeletionTimestamp is not null),
            "one pod evicted");
        await Task.Delay(TimeSpan.FromSeconds(2));

        // No kubelet finishes the terminating pod, so the disruption stays in flight: nothing else may be evicted.
        Assert.Single(cluster.Api.List<V1Pod>("shop"), p => p.Metadata.DeletionTimestamp is not null);
        Assert.Contains(cluster.EventsFor("shop", "api"), e => e.Reason == EventReasons.Evicted && e.ReportingController == EventReasons.ReportingController);

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(host.MetricsUri, "/metrics"));
        Assert.Contains("spotalis_evictions_total{result=\"evicted\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("spotalis_workload_desired_replicas{namespace=\"shop\",workload=\"api\",kind=\"Deployment\",capacity_type=\"spot\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("spotalis_cache_synced 1", metrics, StringComparison.Ordinal);
        Assert.Equal("ok", await http.GetStringAsync(new Uri(host.HealthUri, "/readyz")));
        Assert.Equal("ok", await http.GetStringAsync(new Uri(host.HealthUri, "/healthz")));
    }

    [Fact]
    public async Task Keeps_pod_deletion_cost_on_managed_pods_without_evicting_a_balanced_workload()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        HandMadeObjects.CreateNodes(cluster.Api);
        await HandMadeObjects.CreateDeploymentWithPodsAsync(cluster.Api, "shop", "web", replicas: 4, spotPercentage: 50, onDemandPods: 2, spotPods: 2);

        await cluster.StartOperatorAsync(OperatorTestCluster.FastConfig());
        await OperatorTestCluster.WaitForAsync(
            () => cluster.Api.List<V1Pod>("shop").All(p => p.Metadata.Annotations?.ContainsKey("controller.kubernetes.io/pod-deletion-cost") == true),
            "deletion costs on every pod");

        Assert.DoesNotContain(cluster.Api.List<V1Pod>("shop"), p => p.Metadata.DeletionTimestamp is not null);
    }
}
