namespace Spotalis.Operator.Configuration;

/// <summary>How nodes are classified as spot or on-demand.</summary>
public sealed record NodeClassifierSettings
{
    /// <summary>auto, karpenter, eks, gke, aks, oke or custom (none: what auto resolves to when nothing is recognised).</summary>
    public string Preset { get; init; } = "auto";

    /// <summary>Extra (or, with preset custom, the only) selectors that mark a node as spot.</summary>
    public IReadOnlyList<Spotalis.Core.Nodes.NodeSelectorTerm> SpotSelectors { get; init; } = [];

    /// <summary>Extra (or, with preset custom, the only) selectors that mark a node as on-demand.</summary>
    public IReadOnlyList<Spotalis.Core.Nodes.NodeSelectorTerm> OnDemandSelectors { get; init; } = [];
}
