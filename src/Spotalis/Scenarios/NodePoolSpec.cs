using Spotalis.Core.Capacity;

namespace Spotalis.Scenarios;

/// <summary>A group of identical nodes of one capacity type, labelled the way the provider preset labels them.</summary>
/// <param name="Preset">Provider preset whose labels and taints the nodes carry: karpenter, eks, gke or aks.</param>
/// <param name="InterruptionRatePerHour">Expected spot interruptions per node per hour (0 for on-demand pools).</param>
/// <param name="ProvisioningDelay">Time from a scale-up request until a new node is Ready.</param>
public sealed record NodePoolSpec(
    string Name,
    string Preset,
    CapacityType CapacityType,
    decimal HourlyPrice,
    int InitialSize,
    int MaxSize,
    int PodsPerNode,
    double InterruptionRatePerHour,
    TimeSpan ProvisioningDelay,
    IReadOnlyList<OutageWindow> Outages);
