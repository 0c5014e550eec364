using Spotalis.Core.Capacity;

namespace Spotalis.Core.Split;

/// <summary>How many replicas should run on each capacity type.</summary>
public readonly record struct DesiredSplit(int Spot, int OnDemand)
{
    public int Total => Spot + OnDemand;

    public int For(CapacityType capacityType) => capacityType == CapacityType.Spot ? Spot : OnDemand;

    public override string ToString() => $"{Spot} spot, {OnDemand} on-demand";
}
