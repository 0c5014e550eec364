using k8s.Models;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulator.Tests.Cluster;

public sealed class ReplicaSetControllerTests
{
    private static V1ReplicaSet ReplicaSet(string name, int replicas) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ReplicaSet",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Workloads.Template(name),
        },
    };

    [Fact]
    public async Task Creates_pods_with_generated_names_owned_by_the_replicaset()
    {
        using var sim = new SteppedCluster();
        var rs = await sim.Api.CreateAsync(ReplicaSet("api", 3));

        sim.Run(TimeSpan.FromSeconds(5));

        var pods = sim.PodsWithLabel("app", "api");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Equal("api-", p.Metadata.GenerateName);
            Assert.Matches("^api-[a-z0-9]{5}$", p.Metadata.Name);
            var owner = Assert.Single(p.Metadata.OwnerReferences);
            Assert.Equal(rs.Metadata.Uid, owner.Uid);
            Assert.True(owner.Controller);
            Assert.True(owner.BlockOwnerDeletion);
        });
        var status = sim.Api.Get<V1ReplicaSet>("default", "api")!.Status;
        Assert.Equal(3, status.Replicas);
        Assert.Equal(3, status.ReadyReplicas);
        Assert.Equal(3, status.AvailableReplicas);
        Assert.Equal(3, status.FullyLabeledReplicas);
        Assert.Equal(1, status.ObservedGeneration);
    }

    [Fact]
    public async Task Replaces_a_deleted_pod_at_once()
    {
        using var sim = new SteppedCluster();
        await sim.Api.CreateAsync(ReplicaSet("api", 2));
        sim.Run(TimeSpan.FromSeconds(5));
        var victim = sim.PodsWithLabel("app", "api")[0].Metadata.Name;

        sim.Api.Delete<V1Pod>("default", victim);
        sim.Cluster.Step();

        var live = sim.PodsWithLabel("app", "api").Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        Assert.Equal(2, live.Count);
        Assert.DoesNotContain(live, p => p.Metadata.Name == victim);
    }

    [Fact]
    public async Task Scale_down_removes_the_pods_with_the_lowest_deletion_cost_first()
    {
        using var sim = new SteppedCluster();
        await sim.Api.CreateAsync(ReplicaSet("api", 4));
        sim.Run(TimeSpan.FromSeconds(5));
        var pods = sim.PodsWithLabel("app", "api").OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        var costs = new[] { "100", "-5", "50", "-10" };
        for (var i = 0; i < pods.Count; i++)
        {
            var cost = costs[i];
            sim.Api.Mutate<V1Pod>("default", pods[i].Metadata.Name, p =>
            {
                p.Metadata.Annotations = new Dictionary<string, string> { ["controller.kubernetes.io/pod-deletion-cost"] = cost };
                return true;
            });
        }

        sim.Api.Mutate<V1ReplicaSet>("default", "api", rs => { rs.Spec.Replicas = 2; return true; });
        sim.Cluster.Step();

        var terminating = sim.PodsWithLabel("app", "api").Where(p => p.Metadata.DeletionTimestamp is not null).Select(p => p.Metadata.Name).ToHashSet();
        Assert.Equal(new HashSet<string> { pods[1].Metadata.Name, pods[3].Metadata.Name }, terminating);
    }

    [Fact]
    public async Task Scale_down_prefers_pending_and_unscheduled_pods_over_running_ones()
    {
        using var sim = new SteppedCluster(new ClusterOptions { Pools = ClusterOptions.DefaultPools(0, 1), EnableProvisioning = false });
        var rs = ReplicaSet("api", 2);
        rs.Spec.Template.Spec.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1500m") } };
        await sim.Api.CreateAsync(rs);
        sim.Run(TimeSpan.FromSeconds(5));
        sim.Api.Mutate<V1ReplicaSet>("default", "api", r => { r.Spec.Replicas = 4; return true; });
        sim.Cluster.Step();
        var unscheduled = sim.PodsWithLabel("app", "api").Where(p => string.IsNullOrEmpty(p.Spec.NodeName)).Select(p => p.Metadata.Name).ToHashSet();
        Assert.Equal(2, unscheduled.Count);

        sim.Api.Mutate<V1ReplicaSet>("default", "api", r => { r.Spec.Replicas = 2; return true; });
        sim.Cluster.Step();

        var remaining = sim.PodsWithLabel("app", "api");
        Assert.Equal(2, remaining.Count);
        Assert.All(remaining, p => Assert.True(Workloads.IsRunningAndReady(p)));
        Assert.DoesNotContain(remaining, p => unscheduled.Contains(p.Metadata.Name));
    }
}
