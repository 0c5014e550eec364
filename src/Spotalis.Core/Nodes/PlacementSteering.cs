namespace Spotalis.Core.Nodes;

/// <summary>The required node-affinity requirements (ANDed, one term) the webhook adds to put a pod on one capacity type.</summary>
public sealed record PlacementSteering(IReadOnlyList<LabelSelectorRequirement> RequiredNodeAffinity);
