namespace Spotalis.Core.Nodes;

/// <summary>What a provisioner's pool (a Karpenter <c>karpenter.sh/v1</c> NodePool) may launch.</summary>
/// <param name="Name">The NodePool's name.</param>
/// <param name="AllowsSpot">Its requirements allow <c>karpenter.sh/capacity-type: spot</c>.</param>
/// <param name="AllowsOnDemand">Its requirements allow on-demand (Karpenter's default when nothing is required).</param>
public sealed record NodePoolCapacity(string Name, bool AllowsSpot, bool AllowsOnDemand)
{
    private const string CapacityTypeKey = "karpenter.sh/capacity-type";

    /// <summary>Reads the capacity types a NodePool allows from its <c>spec.template.spec.requirements</c>.</summary>
    public static NodePoolCapacity FromRequirements(string name, IReadOnlyList<LabelSelectorRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var relevant = requirements.Where(r => r.Key == CapacityTypeKey).ToList();
        if (relevant.Count == 0)
        {
            // Karpenter defaults karpenter.sh/capacity-type to on-demand when a NodePool does not constrain it.
            return new NodePoolCapacity(name, false, true);
        }

        return new NodePoolCapacity(name, relevant.All(r => Allows(r, "spot")), relevant.All(r => Allows(r, "on-demand")));
    }

    private static bool Allows(LabelSelectorRequirement requirement, string value) => requirement.Operator switch
    {
        LabelSelectorRequirement.In => requirement.Values.Contains(value),
        LabelSelectorRequirement.NotIn => !requirement.Values.Contains(value),
        LabelSelectorRequirement.Exists => true,
        LabelSelectorRequirement.DoesNotExist => false,
        _ => true,
    };
}
