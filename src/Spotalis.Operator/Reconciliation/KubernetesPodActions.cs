using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spotalis.Core.Capacity;
using Spotalis.Operator.Observability;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Spotalis.Operator.Reconciliation;

/// <summary><see cref="IPodActions"/> against the API server: Eviction subresource, merge patches, Events.</summary>
public sealed class KubernetesPodActions : IPodActions
{
    private readonly IKubernetes _client;
    private readonly EventRecorder _events;

    public KubernetesPodActions(IKubernetes client, EventRecorder events)
    {
        _client = client;
        _events = events;
    }

    public async Task<EvictionResult> EvictAsync(string namespaceName, string podName, CancellationToken cancellationToken)
    {
        var eviction = new V1Eviction
        {
            ApiVersion = "policy/v1",
            Kind = "Eviction",
            Metadata = new V1ObjectMeta { Name = podName, NamespaceProperty = namespaceName },
        };
        try
        {
            await _client.CoreV1.CreateNamespacedPodEvictionAsync(eviction, podName, namespaceName, cancellationToken: cancellationToken);
            return new EvictionResult(EvictionOutcome.Evicted, "evicted");
        }
        catch (HttpOperationException e)
        {
            var message = StatusMessage(e);
            return e.Response.StatusCode switch
            {
                HttpStatusCode.TooManyRequests => new EvictionResult(EvictionOutcome.BlockedByPdb, message),
                HttpStatusCode.NotFound => new EvictionResult(EvictionOutcome.NotFound, message),
                _ => new EvictionResult(EvictionOutcome.Failed, $"{(int)e.Response.StatusCode}: {message}"),
            };
        }
        catch (HttpRequestException e)
        {
            return new EvictionResult(EvictionOutcome.Failed, e.Message);
        }
    }

    public async Task SetDeletionCostAsync(string namespaceName, string podName, int cost, CancellationToken cancellationToken)
    {
        var patch = AnnotationPatch(SpotalisKeys.PodDeletionCost, cost.ToString(CultureInfo.InvariantCulture));
        try
        {
            await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), podName, namespaceName,
                cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // The pod went away meanwhile; nothing to annotate.
        }
    }

    public async Task SetPodAnnotationAsync(string namespaceName, string podName, string key, string? value, CancellationToken cancellationToken)
    {
        var patch = AnnotationPatch(key, value);
        try
        {
            await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), podName, namespaceName,
                cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // The pod went away meanwhile; nothing to annotate.
        }
    }

    public Task RecordEventAsync(WorkloadEvent workloadEvent, CancellationToken cancellationToken) =>
        _events.RecordAsync(workloadEvent, cancellationToken);

    /// <summary>A JSON merge patch that sets (or, with null, removes) one annotation; built without reflection (NativeAOT).</summary>
    private static string AnnotationPatch(string key, string? value) =>
        new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } }.ToJsonString();

    private static string StatusMessage(HttpOperationException e)
    {
        var content = e.Response.Content;
        if (!string.IsNullOrEmpty(content))
        {
            try
            {
                var status = KubernetesJson.Deserialize<V1Status>(content);
                if (!string.IsNullOrEmpty(status?.Message))
                {
                    return status.Message;
                }
            }
            catch (JsonException)
            {
                return content;
            }
        }

        return e.Message;
    }
}
