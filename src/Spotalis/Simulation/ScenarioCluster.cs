using Spotalis.Core.Capacity;
using Spotalis.Scenarios;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulation;

/// <summary>Translates a scenario's node pools into the simulated cluster's options.</summary>
public static class ScenarioCluster
{
    /// <summary>Empty nodes go away after this long, as Karpenter's consolidation of empty nodes would do.</summary>
    public static readonly TimeSpan EmptyNodeTtl = TimeSpan.FromMinutes(2);

    public static ClusterOptions Options(Scenario scenario, int seed)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var preset = scenario.NodePools.Count == 0 ? "karpenter" : scenario.NodePools[0].Preset;
        return new ClusterOptions
        {
            Preset = Preset(preset),
            Seed = seed,
            PodStartDelay = TimeSpan.FromSeconds(5),
            PodReadyDelay = TimeSpan.FromSeconds(10),
            ContainerStopDuration = TimeSpan.FromSeconds(5),
            // The simulator has one provisioning delay for every pool: the slowest pool's is the safe choice.
            ProvisioningDelay = scenario.NodePools.Count == 0 ? TimeSpan.FromSeconds(60) : scenario.NodePools.Max(p => p.ProvisioningDelay),
            InterruptionNotice = TimeSpan.FromMinutes(2),
            EmptyNodeTtl = EmptyNodeTtl,
            Pools = scenario.NodePools.Select(p => new NodePoolOptions
            {
                Name = p.Name,
                CapacityType = p.CapacityType == CapacityType.Spot ? NodeCapacityType.Spot : NodeCapacityType.OnDemand,
                HourlyPrice = p.HourlyPrice,
                InitialNodes = p.InitialSize,
                MaxNodes = p.MaxSize,
                MaxPods = p.PodsPerNode,
                InterruptionsPerNodeHour = p.InterruptionRatePerHour,
            }).ToList(),
        };
    }

    public static ProviderPreset Preset(string name) => name switch
    {
        "eks" => ProviderPreset.Eks,
        "gke" => ProviderPreset.Gke,
        "aks" => ProviderPreset.Aks,
        _ => ProviderPreset.Karpenter,
    };
}
