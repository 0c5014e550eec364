using k8s.Models;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulator.Tests.Cluster;

public sealed class GarbageCollectorTests
{
    private static SteppedCluster Cluster() => new(new ClusterOptions
    {
        Pools = ClusterOptions.DefaultPools(2, 2),
        ContainerStopDuration = TimeSpan.FromSeconds(1),
    });

    [Fact]
    public void Background_deletion_removes_dependents_of_a_vanished_owner()
    {
        using var sim = Cluster();
        sim.CreateDeployment("web", 2);
        sim.Run(TimeSpan.FromSeconds(10));

        sim.Api.Delete<V1Deployment>("default", "web", propagationPolicy: "Background");
        Assert.Null(sim.Api.Get<V1Deployment>("default", "web"));
        sim.Run(TimeSpan.FromSeconds(5));

        Assert.Empty(sim.Api.List<V1ReplicaSet>("default"));
        Assert.Empty(sim.PodsWithLabel("app", "web"));
    }

    [Fact]
    public void Foreground_deletion_keeps_the_owner_until_its_dependents_are_gone()
    {
        using var sim = Cluster();
        sim.CreateDeployment("web", 2);
        sim.Run(TimeSpan.FromSeconds(10));

        sim.Api.Delete<V1Deployment>("default", "web", propagationPolicy: "Foreground");
        sim.Cluster.Step();

        var owner = sim.Api.Get<V1Deployment>("default", "web");
        Assert.NotNull(owner);
        Assert.Contains("foregroundDeletion", owner.Metadata.Finalizers);
        Assert.NotEmpty(sim.PodsWithLabel("app", "web"));

        sim.Run(TimeSpan.FromSeconds(10));
        Assert.Null(sim.Api.Get<V1Deployment>("default", "web"));
        Assert.Empty(sim.Api.List<V1ReplicaSet>("default"));
        Assert.Empty(sim.PodsWithLabel("app", "web"));
    }

    [Fact]
    public void Orphan_deletion_leaves_dependents_without_the_owner_reference()
    {
        using var sim = Cluster();
        sim.CreateDeployment("web", 2);
        sim.Run(TimeSpan.FromSeconds(10));

        sim.Api.Delete<V1Deployment>("default", "web", propagationPolicy: "Orphan");
        sim.Run(TimeSpan.FromSeconds(10));

        Assert.Null(sim.Api.Get<V1Deployment>("default", "web"));
        var replicaSet = Assert.Single(sim.Api.List<V1ReplicaSet>("default"));
        Assert.True(replicaSet.Metadata.OwnerReferences is null || replicaSet.Metadata.OwnerReferences.Count == 0);
        Assert.Equal(2, sim.PodsWithLabel("app", "web").Count(Workloads.IsRunningAndReady));
    }

    [Fact]
    public async Task A_dependent_with_another_live_owner_only_loses_the_dangling_reference()
    {
        using var sim = Cluster();
        var first = await sim.Api.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "first", NamespaceProperty = "default" } });
        var second = await sim.Api.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "second", NamespaceProperty = "default" } });
        await sim.Api.CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "shared",
                NamespaceProperty = "default",
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "first", Uid = first.Metadata.Uid },
                    new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "second", Uid = second.Metadata.Uid },
                ],
            },
        });

        sim.Api.Delete<V1ConfigMap>("default", "first");
        sim.Cluster.Step();

        var secret = sim.Api.Get<V1Secret>("default", "shared");
        Assert.NotNull(secret);
        Assert.Equal(second.Metadata.Uid, Assert.Single(secret.Metadata.OwnerReferences).Uid);

        sim.Api.Delete<V1ConfigMap>("default", "second");
        sim.Cluster.Step();
        Assert.Null(sim.Api.Get<V1Secret>("default", "shared"));
    }

    [Fact]
    public async Task Owners_of_unknown_kinds_are_never_assumed_gone()
    {
        using var sim = Cluster();
        await sim.Api.CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "owned-by-crd",
                NamespaceProperty = "default",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "example.com/v1", Kind = "Widget", Name = "w", Uid = "no-such-uid" }],
            },
        });

        sim.Run(TimeSpan.FromSeconds(5));

        Assert.NotNull(sim.Api.Get<V1ConfigMap>("default", "owned-by-crd"));
    }
}
