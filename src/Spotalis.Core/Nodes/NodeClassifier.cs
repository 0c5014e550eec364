using Spotalis.Core.Capacity;

namespace Spotalis.Core.Nodes;

/// <summary>Classifies nodes as spot, on-demand or unknown with one preset, and tells whether they are leaving.</summary>
public sealed class NodeClassifier(NodePreset preset)
{
    public NodePreset Preset { get; } = preset ?? throw new ArgumentNullException(nameof(preset));

    public NodeClassification Classify(NodeDescription node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var spotTerm = Preset.SpotTerms.FirstOrDefault(term => term.Matches(node.Labels));
        var onDemandTerm = Preset.OnDemandTerms.FirstOrDefault(term => term.Matches(node.Labels));

        CapacityType? capacityType;
        string capacityReason;
        if (spotTerm is not null && onDemandTerm is not null)
        {
            capacityType = null;
            capacityReason = $"matches both the spot selector [{spotTerm}] and the on-demand selector [{onDemandTerm}] of preset {Preset.Name}";
        }
        else if (spotTerm is not null)
        {
            capacityType = CapacityType.Spot;
            capacityReason = $"spot: matches [{spotTerm}] of preset {Preset.Name}";
        }
        else if (onDemandTerm is not null)
        {
            capacityType = CapacityType.OnDemand;
            capacityReason = $"on-demand: matches [{onDemandTerm}] of preset {Preset.Name}";
        }
        else if (Preset.OnDemandTerms.Count == 0 && Preset.SpotTerms.Count > 0)
        {
            capacityType = CapacityType.OnDemand;
            capacityReason = $"on-demand: matches no spot selector of preset {Preset.Name}";
        }
        else
        {
            capacityType = null;
            capacityReason = $"unknown capacity type: matches no spot or on-demand selector of preset {Preset.Name}";
        }

        var leavingReason = LeavingReason(node);
        return leavingReason is null
            ? new NodeClassification(capacityType, false, capacityReason)
            : new NodeClassification(capacityType, true, $"{capacityReason}; leaving: {leavingReason}");
    }

    private static string? LeavingReason(NodeDescription node)
    {
        if (node.Unschedulable)
        {
            return "cordoned (spec.unschedulable)";
        }

        var taint = node.Taints.FirstOrDefault(LeavingTaints.IsLeaving);
        return taint is null ? null : $"tainted {taint.Key}{(string.IsNullOrEmpty(taint.Value) ? string.Empty : "=" + taint.Value)}:{taint.Effect}";
    }
}
