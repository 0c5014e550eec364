namespace Spotalis.Core.Nodes;

/// <summary>
/// <c>nodeClassifier.preset: auto</c>: recognises the provider from the labels its nodes carry (Karpenter, EKS managed
/// node groups, GKE, AKS, OKE) and from Karpenter NodePools. The preset whose labels most nodes carry wins; Karpenter
/// NodePools make it Karpenter. Nothing recognised means no preset: Spotalis then steers nothing.
/// </summary>
public static class PresetDetector
{
    // A label every node of the provider carries (not only spot ones), so an all-on-demand cluster is recognised too.
    private static readonly (string Preset, string Label)[] Signatures =
    [
        (NodePresets.KarpenterName, "karpenter.sh/capacity-type"),
        (NodePresets.EksName, "eks.amazonaws.com/capacityType"),
        (NodePresets.GkeName, "cloud.google.com/gke-nodepool"),
        (NodePresets.AksName, "kubernetes.azure.com/agentpool"),
        (NodePresets.OkeName, "oci.oraclecloud.com/fault-domain"),
    ];

    public static PresetDetection Detect(IReadOnlyList<IReadOnlyDictionary<string, string>> nodeLabels, IReadOnlyList<NodePoolCapacity> nodePools)
    {
        ArgumentNullException.ThrowIfNull(nodeLabels);
        ArgumentNullException.ThrowIfNull(nodePools);
        var counts = Signatures
            .Select(s => (s.Preset, s.Label, Nodes: nodeLabels.Count(labels => labels.ContainsKey(s.Label))))
            .ToList();
        var pools = nodePools.Count == 0
            ? "no Karpenter NodePools"
            : $"{nodePools.Count} Karpenter NodePool(s) ({string.Join(", ", nodePools.Select(Describe))})";
        var seen = string.Join(", ", counts.Where(c => c.Nodes > 0).Select(c => $"{c.Nodes} node(s) with {c.Label}"));

        var best = counts.Where(c => c.Nodes > 0).OrderByDescending(c => c.Nodes).ThenBy(c => Array.FindIndex(Signatures, s => s.Preset == c.Preset)).FirstOrDefault();
        var name = nodePools.Count > 0 ? NodePresets.KarpenterName : best.Preset;
        if (name is null)
        {
            return new PresetDetection(null,
                $"no provider recognised among {nodeLabels.Count} node(s) and {pools}; Spotalis steers no pod until nodes carry a known capacity label or nodeClassifier.preset is set",
                nodePools);
        }

        NodePresets.TryGet(name, out var preset);
        return new PresetDetection(preset, $"preset {name}: {(seen.Length > 0 ? seen : "no labelled nodes yet")} of {nodeLabels.Count}; {pools}", nodePools);
    }

    private static string Describe(NodePoolCapacity pool) =>
        $"{pool.Name}: {(pool.AllowsSpot && pool.AllowsOnDemand ? "spot and on-demand" : pool.AllowsSpot ? "spot only" : pool.AllowsOnDemand ? "on-demand only" : "neither")}";
}
