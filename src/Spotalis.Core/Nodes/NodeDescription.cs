namespace Spotalis.Core.Nodes;

/// <summary>What Spotalis needs to know about a node to classify it.</summary>
public sealed record NodeDescription(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<NodeTaint> Taints,
    bool Unschedulable);
