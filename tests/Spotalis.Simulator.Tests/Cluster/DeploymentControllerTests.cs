using k8s.Models;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulator.Tests.Cluster;

public sealed class DeploymentControllerTests
{
    [Fact]
    public void New_deployment_gets_one_replicaset_and_running_ready_pods_bound_to_nodes()
    {
        using var sim = new SteppedCluster();
        sim.CreateDeployment("web", 3);

        sim.Run(TimeSpan.FromSeconds(10));

        var replicaSet = Assert.Single(sim.Api.List<V1ReplicaSet>("default"));
        var hash = replicaSet.Metadata.Labels["pod-template-hash"];
        Assert.Equal($"web-{hash}", replicaSet.Metadata.Name);
        Assert.Equal("1", replicaSet.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        var pods = sim.PodsWithLabel("app", "web");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.StartsWith($"web-{hash}-", p.Metadata.Name, StringComparison.Ordinal);
            Assert.True(Workloads.IsRunningAndReady(p));
            Assert.Contains(sim.Nodes(), n => n.Metadata.Name == p.Spec.NodeName);
            Assert.False(string.IsNullOrEmpty(p.Status.PodIP));
            Assert.Equal(replicaSet.Metadata.Uid, p.Metadata.OwnerReferences.Single().Uid);
        });

        var status = sim.Api.Get<V1Deployment>("default", "web")!.Status;
        Assert.Equal(1, status.ObservedGeneration);
        Assert.Equal(3, status.Replicas);
        Assert.Equal(3, status.UpdatedReplicas);
        Assert.Equal(3, status.ReadyReplicas);
        Assert.Equal(3, status.AvailableReplicas);
        Assert.Contains(status.Conditions, c => c.Type == "Available" && c.Status == "True" && c.Reason == "MinimumReplicasAvailable");
        Assert.Contains(status.Conditions, c => c.Type == "Progressing" && c.Status == "True" && c.Reason == "NewReplicaSetAvailable");
    }

    [Fact]
    public void Pods_are_not_ready_before_the_start_delay_has_passed()
    {
        using var sim = new SteppedCluster();
        sim.CreateDeployment("web", 2);

        sim.Cluster.Step();

        var pods = sim.PodsWithLabel("app", "web");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal("Pending", p.Status.Phase));
        Assert.All(pods, p => Assert.False(string.IsNullOrEmpty(p.Spec.NodeName)));
        Assert.Equal(0, sim.Api.Get<V1Deployment>("default", "web")!.Status.AvailableReplicas ?? 0);
    }

    [Fact]
    public void Scaling_up_and_down_changes_the_pod_count()
    {
        using var sim = new SteppedCluster();
        sim.CreateDeployment("web", 2);
        sim.Run(TimeSpan.FromSeconds(10));

        sim.Api.Mutate<V1Deployment>("default", "web", d => { d.Spec.Replicas = 5; return true; });
        sim.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(5, sim.PodsWithLabel("app", "web").Count(Workloads.IsRunningAndReady));

        sim.Api.Mutate<V1Deployment>("default", "web", d => { d.Spec.Replicas = 1; return true; });
        sim.Run(TimeSpan.FromSeconds(60));
        Assert.Single(sim.PodsWithLabel("app", "web"));
        var status = sim.Api.Get<V1Deployment>("default", "web")!.Status;
        Assert.Equal(1, status.Replicas);
        Assert.Equal(3, status.ObservedGeneration);
    }

    [Fact]
    public void Rolling_update_never_exceeds_max_surge_nor_drops_below_max_unavailable()
    {
        using var sim = new SteppedCluster();
        sim.CreateDeployment("web", 8, d => d.Spec.Strategy = new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "25%", MaxUnavailable = 1 },
        });
        sim.Run(TimeSpan.FromSeconds(10));
        var oldHash = sim.Api.List<V1ReplicaSet>("default").Single().Metadata.Labels["pod-template-hash"];

        sim.Api.Mutate<V1Deployment>("default", "web", d => { d.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"; return true; });
        var maxPods = 0;
        var minAvailable = int.MaxValue;
        sim.Run(TimeSpan.FromMinutes(3), () =>
        {
            var pods = sim.PodsWithLabel("app", "web").Where(p => p.Metadata.DeletionTimestamp is null).ToList();
            maxPods = Math.Max(maxPods, pods.Count);
            minAvailable = Math.Min(minAvailable, pods.Count(Workloads.IsRunningAndReady));
        });

        Assert.True(maxPods <= 10, $"at most 8 + 2 (25% surge) pods, saw {maxPods}");
        Assert.True(minAvailable >= 7, $"at least 8 - 1 available pods, saw {minAvailable}");
        var pods = sim.PodsWithLabel("app", "web");
        Assert.Equal(8, pods.Count);
        Assert.All(pods, p => Assert.Equal("nginx:1.28", p.Spec.Containers[0].Image));
        Assert.DoesNotContain(pods, p => p.Metadata.Labels["pod-template-hash"] == oldHash);
        var replicaSets = sim.Api.List<V1ReplicaSet>("default");
        Assert.Equal(2, replicaSets.Count);
        Assert.Equal(0, replicaSets.Single(rs => rs.Metadata.Labels["pod-template-hash"] == oldHash).Spec.Replicas);
        var deployment = sim.Api.Get<V1Deployment>("default", "web")!;
        Assert.Equal("2", deployment.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        Assert.Equal(8, deployment.Status.UpdatedReplicas);
        Assert.Equal(deployment.Metadata.Generation, deployment.Status.ObservedGeneration);
    }

    [Fact]
    public void Rolling_back_reuses_the_old_replicaset_as_the_newest_revision()
    {
        using var sim = new SteppedCluster();
        sim.CreateDeployment("web", 2);
        sim.Run(TimeSpan.FromSeconds(10));
        var first = sim.Api.List<V1ReplicaSet>("default").Single().Metadata.Name;

        sim.Api.Mutate<V1Deployment>("default", "web", d => { d.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"; return true; });
        sim.Run(TimeSpan.FromMinutes(1));
        sim.Api.Mutate<V1Deployment>("default", "web", d => { d.Spec.Template.Spec.Containers[0].Image = "nginx:1.27"; return true; });
        sim.Run(TimeSpan.FromMinutes(1));

        var replicaSets = sim.Api.List<V1ReplicaSet>("default");
        Assert.Equal(2, replicaSets.Count);
        var active = replicaSets.Single(rs => rs.Spec.Replicas > 0);
        Assert.Equal(first, active.Metadata.Name);
        Assert.Equal("3", active.Metadata.Annotations["deployment.kubernetes.io/revision"]);
    }

    [Fact]
    public void Recreate_removes_every_old_pod_before_starting_new_ones()
    {
        using var sim = new SteppedCluster(new ClusterOptions
        {
            Pools = ClusterOptions.DefaultPools(2, 2),
            PodStartDelay = TimeSpan.FromSeconds(2),
            ContainerStopDuration = TimeSpan.FromSeconds(5),
        });
        sim.CreateDeployment("web", 3, d => d.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" });
        sim.Run(TimeSpan.FromSeconds(10));

        sim.Api.Mutate<V1Deployment>("default", "web", d => { d.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"; return true; });
        var mixed = false;
        sim.Run(TimeSpan.FromMinutes(1), () =>
        {
            var images = sim.PodsWithLabel("app", "web").Select(p => p.Spec.Containers[0].Image).Distinct().Count();
            mixed |= images > 1;
        });

        Assert.False(mixed, "old and new pods never coexist under Recreate");
        Assert.Equal(3, sim.PodsWithLabel("app", "web").Count(p => p.Spec.Containers[0].Image == "nginx:1.28" && Workloads.IsRunningAndReady(p)));
    }

    [Fact]
    public void Unschedulable_rollout_reports_progress_deadline_exceeded()
    {
        using var sim = new SteppedCluster(new ClusterOptions { Pools = ClusterOptions.DefaultPools(1, 0), EnableProvisioning = false });
        sim.CreateDeployment("web", 1, d =>
        {
            d.Spec.ProgressDeadlineSeconds = 60;
            d.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["no-such"] = "label" };
        });

        sim.Run(TimeSpan.FromMinutes(3));

        var progressing = sim.Api.Get<V1Deployment>("default", "web")!.Status.Conditions.Single(c => c.Type == "Progressing");
        Assert.Equal("False", progressing.Status);
        Assert.Equal("ProgressDeadlineExceeded", progressing.Reason);
    }

    [Fact]
    public void Deleting_a_deployment_removes_its_replicasets_and_pods()
    {
        using var sim = new SteppedCluster(new ClusterOptions { Pools = ClusterOptions.DefaultPools(2, 2), ContainerStopDuration = TimeSpan.FromSeconds(1) });
        sim.CreateDeployment("web", 3);
        sim.Run(TimeSpan.FromSeconds(10));

        sim.Api.Delete<V1Deployment>("default", "web", propagationPolicy: "Background");
        sim.Run(TimeSpan.FromSeconds(10));

        Assert.Empty(sim.Api.List<V1ReplicaSet>("default"));
        Assert.Empty(sim.PodsWithLabel("app", "web"));
    }
}
