namespace Spotalis.Core.Workloads;

/// <summary>
/// When a workload's rollout is in progress (the controller leaves it alone meanwhile): pods of an older revision
/// still run, or the workload controller has not yet observed the latest spec.
/// </summary>
public static class RolloutProgress
{
    /// <param name="olderRevisionRunning">A live pod (<see cref="PodLiveness.IsLive"/>) of a revision other than the current one exists.</param>
    /// <param name="generation"><c>metadata.generation</c>.</param>
    /// <param name="observedGeneration"><c>status.observedGeneration</c>; 0 when the controller never reported one.</param>
    public static bool InProgress(bool olderRevisionRunning, long generation, long observedGeneration) =>
        olderRevisionRunning || (observedGeneration > 0 && generation > observedGeneration);

    /// <summary>True when a pod's revision is known and differs from the workload's current one.</summary>
    public static bool IsOlderRevision(string? currentRevision, string? podRevision) =>
        currentRevision is not null && podRevision is not null && podRevision != currentRevision;

    /// <summary>
    /// A Deployment's current ReplicaSet: the highest <c>deployment.kubernetes.io/revision</c>, the newest on a tie.
    /// </summary>
    public static T? CurrentReplicaSet<T, TCreated>(IEnumerable<T> replicaSets, Func<T, long> revision, Func<T, TCreated> createdAt) =>
        replicaSets.OrderByDescending(revision).ThenByDescending(createdAt).FirstOrDefault();
}
