using k8s.Models;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulator.Tests.Cluster;

public sealed class DeterminismTests
{
    [Fact]
    public void The_same_inputs_and_seed_give_the_same_cluster()
    {
        static string[] RunOnce()
        {
            using var sim = new SteppedCluster(new ClusterOptions
            {
                Seed = 3,
                Preset = ProviderPreset.Gke,
                Pools = ClusterOptions.DefaultPools(2, 1),
                ProvisioningDelay = TimeSpan.FromSeconds(20),
            });
            sim.CreateDeployment("web", 12, d => d.Spec.Template.Spec.Containers[0].Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("700m") },
            });
            sim.Run(TimeSpan.FromMinutes(2));
            var spot = sim.Nodes().First(n => sim.Cluster.PoolOf(n.Metadata.Name) == "spot").Metadata.Name;
            sim.Cluster.Interrupt(spot);
            sim.Run(TimeSpan.FromMinutes(5));
            return [.. sim.Nodes().Select(n => n.Metadata.Name).Order(StringComparer.Ordinal),
                .. sim.PodsWithLabel("app", "web").Select(p => $"{p.Spec.NodeName}:{p.Status.Phase}").Order(StringComparer.Ordinal)];
        }

        var first = RunOnce();
        Assert.Equal(first, RunOnce());
        Assert.Contains(first, line => line.EndsWith(":Running", StringComparison.Ordinal));
    }
}
