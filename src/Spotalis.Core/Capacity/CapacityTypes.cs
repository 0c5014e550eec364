namespace Spotalis.Core.Capacity;

/// <summary>Conversions between <see cref="CapacityType"/> and the <c>spotalis.io/capacity-type</c> label value.</summary>
public static class CapacityTypes
{
    public const string SpotLabelValue = "spot";
    public const string OnDemandLabelValue = "on-demand";

    public static string ToLabelValue(CapacityType capacityType) => capacityType switch
    {
        CapacityType.Spot => SpotLabelValue,
        CapacityType.OnDemand => OnDemandLabelValue,
        _ => throw new ArgumentOutOfRangeException(nameof(capacityType), capacityType, "unknown capacity type"),
    };

    /// <summary>Parses the exact label values <c>spot</c> and <c>on-demand</c>; anything else is rejected (label values are case-sensitive).</summary>
    public static bool TryParse(string? value, out CapacityType capacityType)
    {
        switch (value)
        {
            case SpotLabelValue:
                capacityType = CapacityType.Spot;
                return true;
            case OnDemandLabelValue:
                capacityType = CapacityType.OnDemand;
                return true;
            default:
                capacityType = default;
                return false;
        }
    }

    /// <summary>The value for humans and metric labels, e.g. in reasons: <c>spot</c> / <c>on-demand</c>.</summary>
    public static string Describe(CapacityType? capacityType) =>
        capacityType is { } known ? ToLabelValue(known) : "unknown";
}
