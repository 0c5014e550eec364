using Spotalis.Operator.Reconciliation;

namespace Spotalis.Cluster;

/// <summary>For commands that only evaluate: any attempt to write is a bug, so it fails loudly.</summary>
public sealed class NoWritesPodActions : IPodActions
{
    public Task<EvictionResult> EvictAsync(string namespaceName, string podName, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this command never evicts");

    public Task SetDeletionCostAsync(string namespaceName, string podName, int cost, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this command never writes pods");

    public Task SetPodAnnotationAsync(string namespaceName, string podName, string key, string? value, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this command never writes pods");

    public Task RecordEventAsync(WorkloadEvent workloadEvent, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this command never records events");
}
