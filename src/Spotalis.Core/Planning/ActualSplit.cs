using Spotalis.Core.Capacity;

namespace Spotalis.Core.Planning;

/// <summary>The observed split of a workload's live pods.</summary>
/// <param name="Spot">Live pods on (or meant for) spot, including pending ones.</param>
/// <param name="OnDemand">Live pods on (or meant for) on-demand, including pending ones.</param>
/// <param name="Unknown">Live pods whose capacity type is unknown.</param>
/// <param name="Pending">Live pods not yet scheduled to a node (a subset of the three counts above).</param>
/// <param name="ReadySpot">Ready live spot pods.</param>
/// <param name="ReadyOnDemand">Ready live on-demand pods.</param>
/// <param name="InFlight">Pods that are terminating or live but not Ready: disruptions still settling.</param>
public sealed record ActualSplit(int Spot, int OnDemand, int Unknown, int Pending, int ReadySpot, int ReadyOnDemand, int InFlight)
{
    public int Live => Spot + OnDemand + Unknown;

    public int Ready => ReadySpot + ReadyOnDemand;

    public int For(CapacityType capacityType) => capacityType == CapacityType.Spot ? Spot : OnDemand;

    public int ReadyFor(CapacityType capacityType) => capacityType == CapacityType.Spot ? ReadySpot : ReadyOnDemand;
}
