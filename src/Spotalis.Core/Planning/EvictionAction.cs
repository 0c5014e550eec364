using Spotalis.Core.Capacity;

namespace Spotalis.Core.Planning;

/// <summary>Evict <see cref="PodName"/> so that its replacement lands on <see cref="To"/>.</summary>
public sealed record EvictionAction(string PodName, CapacityType From, CapacityType To, string Reason);
