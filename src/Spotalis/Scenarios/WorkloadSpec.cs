namespace Spotalis.Scenarios;

/// <summary>A Deployment or StatefulSet with its replica count over time and its Spotalis labels and annotations.</summary>
public sealed record WorkloadSpec(
    string Namespace,
    string Name,
    WorkloadKind Kind,
    ReplicaSchedule Replicas,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations);
