namespace Spotalis.Core.Nodes;

/// <summary>What <see cref="PresetDetector"/> found in a cluster.</summary>
/// <param name="Preset">The provider preset whose labels the nodes carry; null when nothing is recognised (steer nothing).</param>
/// <param name="Finding">What was found, in words, for the log.</param>
/// <param name="NodePools">Karpenter NodePools, empty when Karpenter is not installed.</param>
public sealed record PresetDetection(NodePreset? Preset, string Finding, IReadOnlyList<NodePoolCapacity> NodePools)
{
    /// <summary>True when a NodePool allows spot, false when NodePools exist and none does, null without NodePools.</summary>
    public bool? ProvisionerAllowsSpot => NodePools.Count == 0 ? null : NodePools.Any(p => p.AllowsSpot);
}
