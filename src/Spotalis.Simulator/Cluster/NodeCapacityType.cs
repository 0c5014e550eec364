namespace Spotalis.Simulator.Cluster;

/// <summary>How a node pool's machines are bought.</summary>
public enum NodeCapacityType
{
    OnDemand,
    Spot,
}
