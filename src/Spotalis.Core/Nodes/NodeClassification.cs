using Spotalis.Core.Capacity;

namespace Spotalis.Core.Nodes;

/// <summary>A node's capacity type (null = unknown), whether it is leaving the cluster, and why.</summary>
public sealed record NodeClassification(CapacityType? CapacityType, bool Leaving, string Reason);
