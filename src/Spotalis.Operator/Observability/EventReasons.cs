namespace Spotalis.Operator.Observability;

/// <summary>Kubernetes Event reasons the operator records on workloads (product contract).</summary>
public static class EventReasons
{
    public const string Evicted = "Evicted";
    public const string WouldEvict = "WouldEvict";
    public const string EvictionBlocked = "EvictionBlocked";
    public const string EvictionFailed = "EvictionFailed";
    public const string FallbackToOnDemand = "FallbackToOnDemand";
    public const string ReclaimingSpot = "ReclaimingSpot";
    public const string InvalidPolicy = "InvalidPolicy";
    public const string Balanced = "Balanced";

    /// <summary>
    /// Warning: evictions stop because replacements would not be placed: evicted pods came back on the capacity type
    /// they were moved away from, or the webhook is not in the admission path.
    /// </summary>
    public const string PlacementNotSteered = "PlacementNotSteered";

    /// <summary>The <c>reportingController</c> of every Spotalis Event.</summary>
    public const string ReportingController = "spotalis.io/operator";
}
