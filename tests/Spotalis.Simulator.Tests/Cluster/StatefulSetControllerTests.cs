using k8s.Models;

namespace Spotalis.Simulator.Tests.Cluster;

public sealed class StatefulSetControllerTests
{
    [Fact]
    public async Task OrderedReady_creates_one_ordinal_at_a_time_after_its_predecessor_is_ready()
    {
        using var sim = new SteppedCluster();
        await sim.Api.CreateAsync(Workloads.StatefulSet("db", 3));

        sim.Cluster.Step();
        Assert.Equal(["db-0"], sim.PodsWithLabel("app", "db").Select(p => p.Metadata.Name));

        sim.Run(TimeSpan.FromSeconds(2));
        Assert.Equal(["db-0", "db-1"], sim.PodsWithLabel("app", "db").Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));

        sim.Run(TimeSpan.FromSeconds(10));
        var pods = sim.PodsWithLabel("app", "db").OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(["db-0", "db-1", "db-2"], pods.Select(p => p.Metadata.Name));
        Assert.All(pods, p => Assert.True(Workloads.IsRunningAndReady(p)));
        Assert.Equal("db-1", pods[1].Spec.Hostname);
        Assert.Equal("db", pods[1].Spec.Subdomain);
        Assert.Equal("1", pods[1].Metadata.Labels["apps.kubernetes.io/pod-index"]);
        Assert.Equal("db-1", pods[1].Metadata.Labels["statefulset.kubernetes.io/pod-name"]);
        var status = sim.Api.Get<V1StatefulSet>("default", "db")!.Status;
        Assert.Equal(3, status.ReadyReplicas);
        Assert.Equal(status.UpdateRevision, status.CurrentRevision);
        Assert.All(pods, p => Assert.Equal(status.UpdateRevision, p.Metadata.Labels["controller-revision-hash"]));
    }

    [Fact]
    public async Task Parallel_creates_every_ordinal_at_once()
    {
        using var sim = new SteppedCluster();
        var set = Workloads.StatefulSet("db", 3);
        set.Spec.PodManagementPolicy = "Parallel";
        await sim.Api.CreateAsync(set);

        sim.Cluster.Step();

        Assert.Equal(["db-0", "db-1", "db-2"], sim.PodsWithLabel("app", "db").Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Scale_down_removes_the_highest_ordinals_one_at_a_time()
    {
        using var sim = new SteppedCluster(new Spotalis.Simulator.Cluster.ClusterOptions
        {
            Pools = Spotalis.Simulator.Cluster.ClusterOptions.DefaultPools(2, 2),
            ContainerStopDuration = TimeSpan.FromSeconds(3),
        });
        await sim.Api.CreateAsync(Workloads.StatefulSet("db", 4));
        sim.Run(TimeSpan.FromSeconds(30));

        sim.Api.Mutate<V1StatefulSet>("default", "db", s => { s.Spec.Replicas = 2; return true; });
        sim.Cluster.Step();
        var terminating = sim.PodsWithLabel("app", "db").Where(p => p.Metadata.DeletionTimestamp is not null).Select(p => p.Metadata.Name);
        Assert.Equal(["db-3"], terminating);

        sim.Run(TimeSpan.FromSeconds(30));
        Assert.Equal(["db-0", "db-1"], sim.PodsWithLabel("app", "db").Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Rolling_update_replaces_pods_from_the_highest_ordinal_and_completes_the_revision()
    {
        using var sim = new SteppedCluster(new Spotalis.Simulator.Cluster.ClusterOptions
        {
            Pools = Spotalis.Simulator.Cluster.ClusterOptions.DefaultPools(2, 2),
            ContainerStopDuration = TimeSpan.FromSeconds(1),
        });
        await sim.Api.CreateAsync(Workloads.StatefulSet("db", 3));
        sim.Run(TimeSpan.FromSeconds(30));
        var oldRevision = sim.Api.Get<V1StatefulSet>("default", "db")!.Status.CurrentRevision;

        sim.Api.Mutate<V1StatefulSet>("default", "db", s => { s.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"; return true; });
        sim.Cluster.Step();
        Assert.Equal(["db-2"], sim.PodsWithLabel("app", "db").Where(p => p.Metadata.DeletionTimestamp is not null).Select(p => p.Metadata.Name));

        sim.Run(TimeSpan.FromMinutes(1));
        var status = sim.Api.Get<V1StatefulSet>("default", "db")!.Status;
        Assert.NotEqual(oldRevision, status.UpdateRevision);
        Assert.Equal(status.UpdateRevision, status.CurrentRevision);
        Assert.Equal(3, status.UpdatedReplicas);
        Assert.All(sim.PodsWithLabel("app", "db"), p => Assert.Equal("nginx:1.28", p.Spec.Containers[0].Image));
    }

    [Fact]
    public async Task Partition_keeps_lower_ordinals_on_the_old_revision()
    {
        using var sim = new SteppedCluster(new Spotalis.Simulator.Cluster.ClusterOptions
        {
            Pools = Spotalis.Simulator.Cluster.ClusterOptions.DefaultPools(2, 2),
            ContainerStopDuration = TimeSpan.FromSeconds(1),
        });
        var set = Workloads.StatefulSet("db", 3);
        set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 2 } };
        await sim.Api.CreateAsync(set);
        sim.Run(TimeSpan.FromSeconds(30));

        sim.Api.Mutate<V1StatefulSet>("default", "db", s => { s.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"; return true; });
        sim.Run(TimeSpan.FromMinutes(1));

        var images = sim.PodsWithLabel("app", "db").ToDictionary(p => p.Metadata.Name, p => p.Spec.Containers[0].Image);
        Assert.Equal("nginx:1.27", images["db-0"]);
        Assert.Equal("nginx:1.27", images["db-1"]);
        Assert.Equal("nginx:1.28", images["db-2"]);
    }
}
