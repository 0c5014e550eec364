namespace Spotalis.Cluster;

/// <summary>Why a pod runs where it runs, and what the controller plans for it (`spotalis explain`).</summary>
public sealed record PodExplanation(
    string Namespace,
    string Pod,
    string Phase,
    bool Ready,
    string? Node,
    string? NodeCapacityType,
    string NodeClassification,
    string? Owner,
    bool Managed,
    string Policy,
    IReadOnlyList<string> PolicyProblems,
    string? WebhookCapacityType,
    bool Fallback,
    string Placement,
    string? WorkloadState,
    string? WorkloadReason,
    string? DesiredSplit,
    string? ActualSplit,
    string NextStep);
