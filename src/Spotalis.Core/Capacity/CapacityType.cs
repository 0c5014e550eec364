namespace Spotalis.Core.Capacity;

/// <summary>The kind of node capacity a pod runs on.</summary>
public enum CapacityType
{
    OnDemand,
    Spot,
}
