using Spotalis.Core;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// What this process remembers about a workload between reconciles. It only refines decisions (an eviction made
/// a moment ago before the watch shows it; not repeating the same Event); everything that matters for safety is
/// recomputed from the cluster, so losing it on restart is harmless.
/// </summary>
internal sealed class WorkloadMemory
{
    public DateTimeOffset? LastEvictionAt { get; set; }

    public DateTimeOffset? BlockedByPdbAt { get; set; }

    public int ConsecutiveBlocks { get; set; }

    public WorkloadState? LastState { get; set; }

    public bool SpotUnavailable { get; set; }

    public string? ReportedPolicyErrors { get; set; }

    public HashSet<string> ReportedWouldEvict { get; } = new(StringComparer.Ordinal);
}
