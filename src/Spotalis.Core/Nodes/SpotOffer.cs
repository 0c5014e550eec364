namespace Spotalis.Core.Nodes;

/// <summary>
/// Invariant 9: a pod is steered to spot only while a current spot node or a provisioner (a NodePool that allows spot)
/// can offer spot. Otherwise the workload is placed as if its spot share were 0, and the reason says why.
/// </summary>
public static class SpotOffer
{
    /// <returns>Null when spot can be offered, else why not.</returns>
    public static string? WhyNot(int spotNodes, bool? provisionerAllowsSpot) =>
        spotNodes > 0 || provisionerAllowsSpot == true
            ? null
            : provisionerAllowsSpot == false
                ? "no spot node exists and no Karpenter NodePool allows karpenter.sh/capacity-type spot"
                : "no spot node exists and no provisioner that could launch one is known";
}
