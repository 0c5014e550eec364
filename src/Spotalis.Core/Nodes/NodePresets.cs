namespace Spotalis.Core.Nodes;

/// <summary>
/// Built-in node presets of the common providers and the custom preset. Spot pods get the spot steering and
/// tolerations; on-demand pods get the on-demand steering, which also keeps them off untainted spot nodes.
/// </summary>
public static class NodePresets
{
    public const string KarpenterName = "karpenter";
    public const string EksName = "eks";
    public const string GkeName = "gke";
    public const string AksName = "aks";
    public const string OkeName = "oke";
    public const string CustomName = "custom";
    public const string AutoName = "auto";
    public const string NoneName = "none";

    // Karpenter well-known label karpenter.sh/capacity-type: spot | on-demand | reserved (capacity reservations,
    // not interruptible, so counted as on-demand).
    private const string KarpenterCapacityType = "karpenter.sh/capacity-type";

    // EKS managed node groups label nodes eks.amazonaws.com/capacityType: ON_DEMAND | SPOT | CAPACITY_BLOCK.
    private const string EksCapacityType = "eks.amazonaws.com/capacityType";

    // GKE: Spot VMs carry cloud.google.com/gke-spot=true, legacy preemptible VMs cloud.google.com/gke-preemptible=true,
    // nodes provisioned by ComputeClasses cloud.google.com/gke-provisioning=spot. Every GKE node has gke-nodepool.
    private const string GkeSpot = "cloud.google.com/gke-spot";
    private const string GkePreemptible = "cloud.google.com/gke-preemptible";
    private const string GkeProvisioning = "cloud.google.com/gke-provisioning";
    private const string GkeNodePool = "cloud.google.com/gke-nodepool";

    // AKS spot node pools: label and NoSchedule taint kubernetes.azure.com/scalesetpriority=spot. Every AKS node has
    // kubernetes.azure.com/agentpool.
    private const string AksScaleSetPriority = "kubernetes.azure.com/scalesetpriority";
    private const string AksAgentPool = "kubernetes.azure.com/agentpool";

    // OKE adds the label oci.oraclecloud.com/oke-is-preemptible=true and a NoSchedule taint of the same key to nodes on
    // preemptible capacity (docs.oracle.com/iaas/Content/ContEng/Tasks/contengusingpreemptiblecapacity.htm). Every
    // OKE worker node carries oci.oraclecloud.com/fault-domain (PresetDetector's signature).
    private const string OkePreemptible = "oci.oraclecloud.com/oke-is-preemptible";

    public static NodePreset Karpenter { get; } = new(
        KarpenterName,
        SpotTerms: [NodeSelectorTerm.Of(LabelSelectorRequirement.KeyIn(KarpenterCapacityType, "spot"))],
        OnDemandTerms: [NodeSelectorTerm.Of(LabelSelectorRequirement.KeyIn(KarpenterCapacityType, "on-demand", "reserved"))],
        SpotTolerations: [],
        SpotSteering: new([LabelSelectorRequirement.KeyIn(KarpenterCapacityType, "spot")]),
        OnDemandSteering: new([LabelSelectorRequirement.KeyIn(KarpenterCapacityType, "on-demand", "reserved")]));

    public static NodePreset Eks { get; } = new(
        EksName,
        SpotTerms: [NodeSelectorTerm.Of(LabelSelectorRequirement.KeyIn(EksCapacityType, "SPOT"))],
        OnDemandTerms: [NodeSelectorTerm.Of(LabelSelectorRequirement.KeyIn(EksCapacityType, "ON_DEMAND", "CAPACITY_BLOCK"))],
        SpotTolerations: [],
        SpotSteering: new([LabelSelectorRequirement.KeyIn(EksCapacityType, "SPOT")]),
        OnDemandSteering: new([LabelSelectorRequirement.KeyIn(EksCapacityType, "ON_DEMAND")]));

    public static NodePreset Gke { get; } = new(
        GkeName,
        SpotTerms:
        [
            NodeSelectorTerm.Of(LabelSelectorRequirement.KeyIn(GkeSpot, "true")),
            NodeSelectorTerm.Of(LabelSelectorRequirement.KeyIn(GkePreemptible, "true")),
            NodeSelectorTerm.Of(LabelSelectorRequirement.KeyIn(GkeProvisioning, "spot")),
        ],
        OnDemandTerms:
        [
            NodeSelectorTerm.Of(
                LabelSelectorRequirement.KeyExists(GkeNodePool),
                LabelSelectorRequirement.KeyNotIn(GkeSpot, "true"),
                LabelSelectorRequirement.KeyNotIn(GkePreemptible, "true"),
                LabelSelectorRequirement.KeyNotIn(GkeProvisioning, "spot")),
        ],
        // Autopilot taints spot nodes, and Standard users often do; tolerating an absent taint is harmless.
        SpotTolerations:
        [
            new PodToleration(GkeSpot, PodToleration.EqualOperator, "true", PodToleration.NoSchedule),
            new PodToleration(GkePreemptible, PodToleration.EqualOperator, "true", PodToleration.NoSchedule),
        ],
        SpotSteering: new([LabelSelectorRequirement.KeyIn(GkeSpot, "true")]),
        OnDemandSteering: new(
        [
            LabelSelectorRequirement.KeyDoesNotExist(GkeSpot),
            LabelSelectorRequirement.KeyDoesNotExist(GkePreemptible),
            LabelSelectorRequirement.KeyNotIn(GkeProvisioning, "spot"),
        ]));

    public static NodePreset Aks { get; } = new(
        AksName,
        SpotTerms: [NodeSelectorTerm.Of(LabelSelectorRequirement.KeyIn(AksScaleSetPriority, "spot"))],
        OnDemandTerms:
        [
            NodeSelectorTerm.Of(LabelSelectorRequirement.KeyExists(AksAgentPool), LabelSelectorRequirement.KeyNotIn(AksScaleSetPriority, "spot")),
        ],
        SpotTolerations: [new PodToleration(AksScaleSetPriority, PodToleration.EqualOperator, "spot", PodToleration.NoSchedule)],
        SpotSteering: new([LabelSelectorRequirement.KeyIn(AksScaleSetPriority, "spot")]),
        OnDemandSteering: new([LabelSelectorRequirement.KeyNotIn(AksScaleSetPriority, "spot")]));

    public static NodePreset Oke { get; } = new(
        OkeName,
        SpotTerms: [NodeSelectorTerm.Of(LabelSelectorRequirement.KeyIn(OkePreemptible, "true"))],
        OnDemandTerms: [NodeSelectorTerm.Of(LabelSelectorRequirement.KeyNotIn(OkePreemptible, "true"))],
        // Without it a pod steered to preemptible nodes could never schedule there: tolerate the taint whatever its value.
        SpotTolerations: [new PodToleration(OkePreemptible, PodToleration.ExistsOperator, null, PodToleration.NoSchedule)],
        SpotSteering: new([LabelSelectorRequirement.KeyIn(OkePreemptible, "true")]),
        OnDemandSteering: new([LabelSelectorRequirement.KeyNotIn(OkePreemptible, "true")]));

    /// <summary>What <c>auto</c> resolves to when no provider is recognised: classifies no node and steers no pod.</summary>
    public static NodePreset None { get; } = new(NoneName, [], [], [], new PlacementSteering([]), new PlacementSteering([]));

    /// <summary>The built-in presets by name.</summary>
    public static IReadOnlyList<NodePreset> BuiltIn { get; } = [Karpenter, Eks, Gke, Aks, Oke];

    /// <summary>Finds a built-in preset by name, case-insensitively. <c>custom</c> is not found: build it with <see cref="Custom"/>.</summary>
    public static bool TryGet(string name, out NodePreset preset)
    {
        preset = BuiltIn.FirstOrDefault(candidate => string.Equals(candidate.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return preset is not null;
    }

    /// <summary>
    /// A preset from user label selectors (terms ORed). The webhook steers with the first term of each list: node
    /// affinity of one pod can only AND requirements, so put the preferred selector first. Empty terms are dropped;
    /// when no on-demand terms are given, on-demand means "matches no spot term" and is steered by negating a single
    /// spot requirement when that is possible.
    /// </summary>
    public static NodePreset Custom(
        IReadOnlyList<NodeSelectorTerm> spotTerms, IReadOnlyList<NodeSelectorTerm> onDemandTerms, IReadOnlyList<PodToleration> tolerations)
    {
        ArgumentNullException.ThrowIfNull(spotTerms);
        ArgumentNullException.ThrowIfNull(onDemandTerms);
        ArgumentNullException.ThrowIfNull(tolerations);
        var spot = spotTerms.Where(term => !term.IsEmpty).ToList();
        var onDemand = onDemandTerms.Where(term => !term.IsEmpty).ToList();
        var spotSteering = spot.Count > 0 ? spot[0].ToRequirements() : [];
        var onDemandSteering = onDemand.Count > 0 ? onDemand[0].ToRequirements() : NegateSingle(spot);
        return new NodePreset(CustomName, spot, onDemand, [.. tolerations], new PlacementSteering(spotSteering), new PlacementSteering(onDemandSteering));
    }

    private static IReadOnlyList<LabelSelectorRequirement> NegateSingle(List<NodeSelectorTerm> spotTerms)
    {
        // With a single one-requirement spot term, "not spot" is expressible as one requirement; otherwise no steering.
        if (spotTerms.Count != 1 || spotTerms[0].ToRequirements() is not [var only])
        {
            return [];
        }

        return only.Operator switch
        {
            LabelSelectorRequirement.In => [LabelSelectorRequirement.KeyNotIn(only.Key, [.. only.Values])],
            LabelSelectorRequirement.NotIn => [LabelSelectorRequirement.KeyIn(only.Key, [.. only.Values])],
            LabelSelectorRequirement.Exists => [LabelSelectorRequirement.KeyDoesNotExist(only.Key)],
            LabelSelectorRequirement.DoesNotExist => [LabelSelectorRequirement.KeyExists(only.Key)],
            _ => [],
        };
    }
}
