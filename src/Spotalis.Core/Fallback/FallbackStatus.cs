namespace Spotalis.Core;

/// <summary>Whether a workload should treat spot as unavailable, whether it is time to move back to spot, and why.</summary>
public sealed record FallbackStatus(bool SpotUnavailable, bool ReclaimDue, string Reason);
