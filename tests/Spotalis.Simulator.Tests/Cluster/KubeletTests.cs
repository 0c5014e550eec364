using k8s.Models;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulator.Tests.Cluster;

public sealed class KubeletTests
{
    private static V1Pod Pod(string name, long? grace = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PodSpec { TerminationGracePeriodSeconds = grace, Containers = [new V1Container { Name = "main", Image = "ghcr.io/acme/api:2.1" }] },
    };

    [Fact]
    public async Task A_bound_pod_starts_after_the_start_delay_and_becomes_ready_after_the_ready_delay()
    {
        using var sim = new SteppedCluster(new ClusterOptions
        {
            Pools = ClusterOptions.DefaultPools(0, 1),
            PodStartDelay = TimeSpan.FromSeconds(5),
            PodReadyDelay = TimeSpan.FromSeconds(10),
        });
        await sim.Api.CreateAsync(Pod("p"));
        sim.Cluster.Step();
        Assert.Equal("Pending", sim.Api.Get<V1Pod>("default", "p")!.Status.Phase);

        sim.Run(TimeSpan.FromSeconds(6));
        var running = sim.Api.Get<V1Pod>("default", "p")!;
        Assert.Equal("Running", running.Status.Phase);
        Assert.False(Workloads.IsRunningAndReady(running));
        Assert.StartsWith("10.244.", running.Status.PodIP, StringComparison.Ordinal);
        var container = Assert.Single(running.Status.ContainerStatuses);
        Assert.Equal("ghcr.io/acme/api:2.1", container.Image);
        Assert.NotNull(container.State.Running);
        Assert.StartsWith("containerd://", container.ContainerID, StringComparison.Ordinal);

        sim.Run(TimeSpan.FromSeconds(10));
        Assert.True(Workloads.IsRunningAndReady(sim.Api.Get<V1Pod>("default", "p")!));
    }

    [Fact]
    public async Task A_deleted_pod_stays_terminating_for_its_grace_period_then_goes()
    {
        using var sim = new SteppedCluster(new ClusterOptions { Pools = ClusterOptions.DefaultPools(0, 1) });
        await sim.Api.CreateAsync(Pod("p", grace: 20));
        sim.Run(TimeSpan.FromSeconds(5));

        sim.Api.Delete<V1Pod>("default", "p");
        sim.Run(TimeSpan.FromSeconds(15));
        Assert.NotNull(sim.Api.Get<V1Pod>("default", "p")!.Metadata.DeletionTimestamp);

        sim.Run(TimeSpan.FromSeconds(10));
        Assert.Null(sim.Api.Get<V1Pod>("default", "p"));
    }

    [Fact]
    public async Task Container_stop_duration_shortens_termination()
    {
        using var sim = new SteppedCluster(new ClusterOptions { Pools = ClusterOptions.DefaultPools(0, 1), ContainerStopDuration = TimeSpan.FromSeconds(2) });
        await sim.Api.CreateAsync(Pod("p", grace: 30));
        sim.Run(TimeSpan.FromSeconds(5));

        sim.Api.Delete<V1Pod>("default", "p");
        sim.Run(TimeSpan.FromSeconds(3));

        Assert.Null(sim.Api.Get<V1Pod>("default", "p"));
    }

    [Fact]
    public async Task Pods_of_a_deleted_node_go_away()
    {
        using var sim = new SteppedCluster(new ClusterOptions { Pools = ClusterOptions.DefaultPools(0, 1), EnableProvisioning = false });
        await sim.Api.CreateAsync(Pod("p"));
        sim.Run(TimeSpan.FromSeconds(5));
        var node = sim.Api.Get<V1Pod>("default", "p")!.Spec.NodeName;

        sim.Api.Delete<V1Node>(null, node);
        sim.Cluster.Step();

        Assert.Null(sim.Api.Get<V1Pod>("default", "p"));
    }

    [Fact]
    public async Task NoExecute_taints_evict_intolerant_pods_and_honour_toleration_seconds()
    {
        using var sim = new SteppedCluster(new ClusterOptions { Pools = ClusterOptions.DefaultPools(0, 1), EnableProvisioning = false, ContainerStopDuration = TimeSpan.Zero });
        await sim.Api.CreateAsync(Pod("intolerant"));
        var patient = Pod("patient");
        patient.Spec.Tolerations = [new V1Toleration { Key = "maintenance", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 60 }];
        await sim.Api.CreateAsync(patient);
        sim.Run(TimeSpan.FromSeconds(5));
        var node = sim.Nodes().Single().Metadata.Name;

        sim.Api.Mutate<V1Node>(null, node, n =>
        {
            n.Spec.Taints = [new V1Taint { Key = "maintenance", Effect = "NoExecute", TimeAdded = sim.Now }];
            return true;
        });
        sim.Run(TimeSpan.FromSeconds(1));
        Assert.Null(sim.Api.Get<V1Pod>("default", "intolerant"));
        Assert.NotNull(sim.Api.Get<V1Pod>("default", "patient"));

        sim.Run(TimeSpan.FromSeconds(70));
        Assert.Null(sim.Api.Get<V1Pod>("default", "patient"));
    }
}
