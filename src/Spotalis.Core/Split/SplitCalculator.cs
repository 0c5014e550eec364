namespace Spotalis.Core.Split;

/// <summary>The split rule of the contract: <c>desiredSpot = min(floor(replicas * pct / 100), max(0, replicas - minOnDemand))</c>.</summary>
public static class SplitCalculator
{
    /// <summary>
    /// Computes the desired split. Out-of-range inputs are clamped to the safe side: negative replicas count as 0,
    /// the percentage is clamped to 0-100 and a negative floor counts as 0.
    /// </summary>
    public static DesiredSplit Compute(int replicas, int spotPercentage, int minOnDemand)
    {
        var total = Math.Max(0, replicas);
        var percentage = Math.Clamp(spotPercentage, 0, 100);
        var floor = Math.Max(0, minOnDemand);
        var byPercentage = (int)((long)total * percentage / 100);
        var spot = Math.Min(byPercentage, Math.Max(0, total - floor));
        return new DesiredSplit(spot, total - spot);
    }
}
