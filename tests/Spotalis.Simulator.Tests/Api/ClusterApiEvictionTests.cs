using k8s.Models;
using Spotalis.Simulator.Api;
using static Spotalis.Simulator.Tests.Api.TestObjects;

namespace Spotalis.Simulator.Tests.Api;

public sealed class ClusterApiEvictionTests
{
    private readonly ClusterApi _api = new();

    [Fact]
    public async Task Eviction_that_would_break_minAvailable_is_refused_with_429_and_the_real_message()
    {
        await ReadyPods(3);
        await _api.CreateAsync(Budget("web", minAvailable: 2));

        _api.Evict("default", "web-0");
        var error = Assert.Throws<ApiException>(() => _api.Evict("default", "web-1"));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal("TooManyRequests", error.Reason);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", error.Message);
        Assert.Equal("DisruptionBudget", Assert.Single(error.Causes).Reason);
        Assert.NotNull(_api.Get<V1Pod>("default", "web-0")!.Metadata.DeletionTimestamp);
        Assert.Null(_api.Get<V1Pod>("default", "web-1")!.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Budget_status_tracks_healthy_pods()
    {
        await ReadyPods(3);
        await _api.CreateAsync(Budget("web", minAvailable: 2));

        var status = _api.Get<V1PodDisruptionBudget>("default", "web")!.Status;
        Assert.Equal(3, status.CurrentHealthy);
        Assert.Equal(2, status.DesiredHealthy);
        Assert.Equal(3, status.ExpectedPods);
        Assert.Equal(1, status.DisruptionsAllowed);
        Assert.Equal(1, status.ObservedGeneration);

        _api.Evict("default", "web-2");
        status = _api.Get<V1PodDisruptionBudget>("default", "web")!.Status;
        Assert.Equal(2, status.CurrentHealthy);
        Assert.Equal(0, status.DisruptionsAllowed);
    }

    [Fact]
    public async Task Percent_maxUnavailable_uses_the_owning_controllers_scale()
    {
        await _api.CreateAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web-rs", NamespaceProperty = "default" },
            Spec = new V1ReplicaSetSpec { Replicas = 4, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
        });
        var owner = _api.Get<V1ReplicaSet>("default", "web-rs")!;
        await ReadyPods(4, pod => pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web-rs", Uid = owner.Metadata.Uid, Controller = true }]);
        await _api.CreateAsync(Budget("web", maxUnavailable: "25%"));

        var status = _api.Get<V1PodDisruptionBudget>("default", "web")!.Status;
        Assert.Equal(4, status.ExpectedPods);
        Assert.Equal(3, status.DesiredHealthy);
        Assert.Equal(1, status.DisruptionsAllowed);

        _api.Mutate<V1ReplicaSet>("default", "web-rs", rs => { rs.Spec.Replicas = 8; return true; });
        status = _api.Get<V1PodDisruptionBudget>("default", "web")!.Status;
        Assert.Equal(8, status.ExpectedPods);
        Assert.Equal(6, status.DesiredHealthy);
        Assert.Equal(0, status.DisruptionsAllowed);
    }

    [Fact]
    public async Task Pending_and_terminating_pods_are_evicted_without_consulting_budgets()
    {
        await _api.CreateAsync(Pod("waiting"));
        await _api.CreateAsync(Budget("web", minAvailable: 5));

        _api.Evict("default", "waiting");

        Assert.Null(_api.Get<V1Pod>("default", "waiting"));
    }

    [Fact]
    public async Task Pods_outside_every_budget_are_evicted_gracefully()
    {
        await ReadyPods(1);
        await _api.CreateAsync(Budget("other", minAvailable: 1) is var b ? OtherSelector(b) : b);

        _api.Evict("default", "web-0", gracePeriodSeconds: 10);

        Assert.Equal(10, _api.Get<V1Pod>("default", "web-0")!.Metadata.DeletionGracePeriodSeconds);
    }

    [Fact]
    public void Evicting_a_missing_pod_is_NotFound()
    {
        Assert.Equal(404, Assert.Throws<ApiException>(() => _api.Evict("default", "ghost")).StatusCode);
    }

    private static V1PodDisruptionBudget OtherSelector(V1PodDisruptionBudget budget)
    {
        budget.Spec.Selector.MatchLabels = new Dictionary<string, string> { ["app"] = "other" };
        return budget;
    }

    private async Task ReadyPods(int count, Action<V1Pod>? customize = null)
    {
        for (var i = 0; i < count; i++)
        {
            var pod = Pod($"web-{i}");
            customize?.Invoke(pod);
            await _api.CreateAsync(pod);
            MakeReady(_api, "default", pod.Metadata.Name);
        }
    }
}
