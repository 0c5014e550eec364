using Spotalis.Core.Capacity;

namespace Spotalis.Core.Split;

/// <summary>
/// Prefix-consistent placement of StatefulSet ordinals (DESIGN.md section 7). When the replica count grows by one, the
/// desired spot count and the desired on-demand count each grow by 0 or 1, so ordinal <c>i</c> can go on the capacity type
/// whose desired count grows from <c>i</c> to <c>i + 1</c> replicas. Then every prefix <c>0..k-1</c> holds exactly the desired
/// split for <c>k</c> replicas: a StatefulSet, which scales down from the highest ordinal and up at the next one, keeps
/// its split at every size without a single eviction.
/// </summary>
/// <param name="SpotPercentage">The workload's spot share (0-100).</param>
/// <param name="MinOnDemand">The workload's on-demand floor.</param>
public sealed record StatefulSetOrder(int SpotPercentage, int MinOnDemand)
{
    /// <summary>The capacity type of an ordinal: the one whose desired count grows when the ordinal is added.</summary>
    public CapacityType TargetFor(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        var before = SplitCalculator.Compute(ordinal, SpotPercentage, MinOnDemand);
        var after = SplitCalculator.Compute(ordinal + 1, SpotPercentage, MinOnDemand);
        return after.Spot > before.Spot ? CapacityType.Spot : CapacityType.OnDemand;
    }

    /// <summary>Why an ordinal belongs on its capacity type, in words.</summary>
    public string Explain(int ordinal)
    {
        var prefix = SplitCalculator.Compute(ordinal + 1, SpotPercentage, MinOnDemand);
        return $"ordinal {ordinal} goes on {CapacityTypes.ToLabelValue(TargetFor(ordinal))}: ordinals 0-{ordinal} hold the desired split for {ordinal + 1} replica(s), {prefix}";
    }
}
