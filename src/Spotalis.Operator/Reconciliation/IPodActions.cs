using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// Every write the reconciler makes. The operator implements it against the API server
/// (<see cref="KubernetesPodActions"/>); the what-if simulator implements it against its in-process cluster.
/// </summary>
public interface IPodActions
{
    /// <summary>Evicts a pod through the policy/v1 Eviction subresource (never a plain delete).</summary>
    Task<EvictionResult> EvictAsync(string namespaceName, string podName, CancellationToken cancellationToken);

    /// <summary>Sets <c>controller.kubernetes.io/pod-deletion-cost</c> on a pod.</summary>
    Task SetDeletionCostAsync(string namespaceName, string podName, int cost, CancellationToken cancellationToken);

    /// <summary>Sets (or, with a null value, removes) one annotation on a pod; a pod that is gone is no error.</summary>
    Task SetPodAnnotationAsync(string namespaceName, string podName, string key, string? value, CancellationToken cancellationToken);

    /// <summary>Records a Kubernetes Event on the workload.</summary>
    Task RecordEventAsync(WorkloadEvent workloadEvent, CancellationToken cancellationToken);
}

/// <summary>How an eviction request ended.</summary>
public enum EvictionOutcome
{
    Evicted,

    /// <summary>429: a PodDisruptionBudget does not allow it now.</summary>
    BlockedByPdb,

    /// <summary>The pod is already gone.</summary>
    NotFound,
    Failed,
}

/// <summary>The result of one eviction request, with the API server's message.</summary>
public sealed record EvictionResult(EvictionOutcome Outcome, string Message);
