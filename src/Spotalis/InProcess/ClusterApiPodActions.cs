using System.Globalization;
using Spotalis.Core.Capacity;
using Spotalis.Operator.Reconciliation;
using Spotalis.Simulator.Api;
using k8s.Models;

namespace Spotalis.InProcess;

/// <summary>
/// The reconciler's writes against the in-process simulator: evictions through its Eviction subresource (so
/// PodDisruptionBudgets apply), deletion-cost annotations, and Events handed to <paramref name="onEvent"/>.
/// </summary>
public sealed class ClusterApiPodActions(IClusterApi api, Action<V1Pod>? onEvicted = null, Action<WorkloadEvent>? onEvent = null) : IPodActions
{
    public Task<EvictionResult> EvictAsync(string namespaceName, string podName, CancellationToken cancellationToken)
    {
        try
        {
            var pod = api.Get<V1Pod>(namespaceName, podName);
            api.Evict(namespaceName, podName);
            if (pod is not null)
            {
                onEvicted?.Invoke(pod);
            }

            return Task.FromResult(new EvictionResult(EvictionOutcome.Evicted, "evicted"));
        }
        catch (ApiException e)
        {
            var outcome = e.StatusCode switch
            {
                429 => EvictionOutcome.BlockedByPdb,
                404 => EvictionOutcome.NotFound,
                _ => EvictionOutcome.Failed,
            };
            return Task.FromResult(new EvictionResult(outcome, e.Message));
        }
    }

    public Task SetDeletionCostAsync(string namespaceName, string podName, int cost, CancellationToken cancellationToken)
    {
        var text = cost.ToString(CultureInfo.InvariantCulture);
        try
        {
            api.Mutate<V1Pod>(namespaceName, podName, pod =>
            {
                pod.Metadata.Annotations ??= new Dictionary<string, string>();
                if (pod.Metadata.Annotations.TryGetValue(SpotalisKeys.PodDeletionCost, out var current) && current == text)
                {
                    return false;
                }

                pod.Metadata.Annotations[SpotalisKeys.PodDeletionCost] = text;
                return true;
            });
        }
        catch (ApiException)
        {
            // The pod went away between the decision and the write; the next reconcile sees the new state.
        }

        return Task.CompletedTask;
    }

    public Task SetPodAnnotationAsync(string namespaceName, string podName, string key, string? value, CancellationToken cancellationToken)
    {
        try
        {
            api.Mutate<V1Pod>(namespaceName, podName, pod =>
            {
                pod.Metadata.Annotations ??= new Dictionary<string, string>();
                var has = pod.Metadata.Annotations.TryGetValue(key, out var current);
                if (value is null ? !has : has && current == value)
                {
                    return false;
                }

                if (value is null)
                {
                    pod.Metadata.Annotations.Remove(key);
                }
                else
                {
                    pod.Metadata.Annotations[key] = value;
                }

                return true;
            });
        }
        catch (ApiException)
        {
            // The pod went away between the decision and the write; the next reconcile sees the new state.
        }

        return Task.CompletedTask;
    }

    public Task RecordEventAsync(WorkloadEvent workloadEvent, CancellationToken cancellationToken)
    {
        onEvent?.Invoke(workloadEvent);
        return Task.CompletedTask;
    }
}
