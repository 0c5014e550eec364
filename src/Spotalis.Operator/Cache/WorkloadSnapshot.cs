namespace Spotalis.Operator.Cache;

/// <summary>The parts of a Deployment or StatefulSet the operator decides from.</summary>
/// <param name="CurrentRevision">Deployment: pod-template-hash of the newest ReplicaSet; StatefulSet: status.updateRevision.</param>
/// <param name="RolloutInProgress">True while a Deployment/StatefulSet rollout is replacing pods.</param>
public sealed record WorkloadSnapshot(
    WorkloadRef Ref,
    string Uid,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    int Replicas,
    long Generation,
    long ObservedGeneration,
    string? CurrentRevision,
    bool RolloutInProgress)
{
    /// <summary>The labels of the pod template (every key): what PodDisruptionBudget selectors match pods by.</summary>
    public IReadOnlyDictionary<string, string> PodTemplateLabels { get; init; } = new Dictionary<string, string>();
}
