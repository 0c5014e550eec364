namespace Spotalis.Simulator.Api;

/// <summary>The watch event types of the Kubernetes API.</summary>
public enum ClusterChangeType
{
    Added,
    Modified,
    Deleted,
}
