using Spotalis.Core.Capacity;

namespace Spotalis.Core.Nodes;

/// <summary>
/// The node labels and taints of one provider: which nodes are spot or on-demand (terms are ORed), which tolerations
/// a spot pod needs, and how to steer a pod onto each capacity type.
/// </summary>
public sealed record NodePreset(
    string Name,
    IReadOnlyList<NodeSelectorTerm> SpotTerms,
    IReadOnlyList<NodeSelectorTerm> OnDemandTerms,
    IReadOnlyList<PodToleration> SpotTolerations,
    PlacementSteering SpotSteering,
    PlacementSteering OnDemandSteering)
{
    public PlacementSteering SteeringFor(CapacityType capacityType) =>
        capacityType == CapacityType.Spot ? SpotSteering : OnDemandSteering;
}
