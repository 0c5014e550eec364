namespace Spotalis.Core.Workloads;

/// <summary>
/// Which pods count (DESIGN.md invariant 10: only pods that exist count). A pod that finished (phase Succeeded or
/// Failed) or is terminating (has a deletion timestamp) holds no replica of its workload any more.
/// </summary>
public static class PodLiveness
{
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    /// <summary>True when the pod ran to an end (Succeeded or Failed); it will never run again.</summary>
    public static bool IsFinished(string? phase) => phase is Succeeded or Failed;

    /// <summary>True when the pod holds a replica: not finished and not terminating.</summary>
    public static bool IsLive(string? phase, bool terminating) => !terminating && !IsFinished(phase);
}
