using k8s.Models;
using Spotalis.Simulator.Api;
using static Spotalis.Simulator.Tests.Api.TestObjects;

namespace Spotalis.Simulator.Tests.Api;

public sealed class ClusterApiDeletionTests
{
    private readonly ClusterApi _api = new();

    [Fact]
    public async Task A_pod_on_a_node_terminates_gracefully_until_deleted_with_grace_zero()
    {
        var pod = Pod("a", node: "node-1");
        pod.Spec.TerminationGracePeriodSeconds = 45;
        await _api.CreateAsync(pod);

        var terminating = _api.Delete<V1Pod>("default", "a");

        Assert.NotNull(terminating);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Equal(45, terminating.Metadata.DeletionGracePeriodSeconds);
        Assert.NotNull(_api.Get<V1Pod>("default", "a"));

        Assert.Null(_api.Delete<V1Pod>("default", "a", gracePeriodSeconds: 0));
        Assert.Null(_api.Get<V1Pod>("default", "a"));
    }

    [Fact]
    public async Task Explicit_grace_overrides_the_spec_and_unscheduled_pods_go_at_once()
    {
        await _api.CreateAsync(Pod("bound", node: "node-1"));
        await _api.CreateAsync(Pod("pending"));

        var bound = _api.Delete<V1Pod>("default", "bound", gracePeriodSeconds: 5);
        var pending = _api.Delete<V1Pod>("default", "pending");

        Assert.Equal(5, bound!.Metadata.DeletionGracePeriodSeconds);
        Assert.Null(pending);
        Assert.Null(_api.Get<V1Pod>("default", "pending"));
    }

    [Fact]
    public async Task Finalizers_hold_an_object_until_the_last_one_is_removed()
    {
        await _api.CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "cm", NamespaceProperty = "default", Finalizers = ["example.com/a", "example.com/b"] },
        });

        var held = _api.Delete<V1ConfigMap>("default", "cm");
        Assert.NotNull(held!.Metadata.DeletionTimestamp);

        _api.Mutate<V1ConfigMap>("default", "cm", cm => cm.Metadata.Finalizers.Remove("example.com/a"));
        Assert.NotNull(_api.Get<V1ConfigMap>("default", "cm"));

        _api.Mutate<V1ConfigMap>("default", "cm", cm => cm.Metadata.Finalizers.Remove("example.com/b"));
        Assert.Null(_api.Get<V1ConfigMap>("default", "cm"));
    }

    [Fact]
    public async Task Foreground_and_orphan_propagation_leave_a_finalizer_for_the_garbage_collector()
    {
        await _api.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "fg", NamespaceProperty = "default" } });
        await _api.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "or", NamespaceProperty = "default" } });
        await _api.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "bg", NamespaceProperty = "default" } });

        var foreground = _api.Delete<V1ConfigMap>("default", "fg", propagationPolicy: "Foreground");
        var orphan = _api.Delete<V1ConfigMap>("default", "or", propagationPolicy: "Orphan");
        var background = _api.Delete<V1ConfigMap>("default", "bg", propagationPolicy: "Background");

        Assert.Equal([ClusterApi.ForegroundDeletionFinalizer], foreground!.Metadata.Finalizers);
        Assert.Equal([ClusterApi.OrphanFinalizer], orphan!.Metadata.Finalizers);
        Assert.Null(background);
        Assert.Throws<ApiException>(() => _api.Delete<V1ConfigMap>("default", "fg", propagationPolicy: "Sideways"));
    }

    [Fact]
    public void Deleting_a_missing_object_is_NotFound()
    {
        var error = Assert.Throws<ApiException>(() => _api.Delete<V1Pod>("default", "ghost"));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("pods \"ghost\" not found", error.Message);
    }

    [Fact]
    public async Task Deleting_a_namespace_removes_its_content()
    {
        _api.EnsureNamespace("team");
        await _api.CreateAsync(Pod("a", ns: "team", node: "n"));
        await _api.CreateAsync(Pod("b"));

        _api.Delete<V1Namespace>(null, "team");

        Assert.Null(_api.Get<V1Namespace>(null, "team"));
        Assert.Empty(_api.List<V1Pod>("team"));
        Assert.Single(_api.List<V1Pod>());
    }
}
