namespace Spotalis.Operator.Cache;

/// <summary>The parts of a node the classifier needs.</summary>
public sealed record NodeSnapshot(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<NodeTaintSnapshot> Taints,
    bool Unschedulable,
    bool Ready)
{
    /// <summary>status.allocatable.pods, or null when the node does not say.</summary>
    public int? AllocatablePods { get; init; }
}
