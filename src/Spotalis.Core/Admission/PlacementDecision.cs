using Spotalis.Core.Capacity;

namespace Spotalis.Core.Admission;

/// <summary>The capacity type for a new pod, why, and whether it is a fallback from spot to on-demand.</summary>
public sealed record PlacementDecision(CapacityType CapacityType, string Reason, bool IsFallback);
