#if SPOTALIS_AOT
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s.Models;

// KubernetesClient.Aot (the NativeAOT flavour of KubernetesClient) has no watch support. These extensions give the
// NativeAOT build the same watch calls the JIT build gets from KubernetesClient, with the same shape, so the informers
// are one code for both builds: a GET with watch=1 read line by line, each event's object deserialized through
// KubernetesClient.Aot's source-generated JSON context.
namespace k8s;

/// <summary>The type of a watch event (KubernetesClient's, which KubernetesClient.Aot lacks).</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Error,
    Bookmark,
}

/// <summary>Watch calls of the core/v1 group for the NativeAOT build.</summary>
public static class AotCoreV1Watch
{
    public static IAsyncEnumerable<(WatchEventType, V1Namespace)> WatchListNamespaceAsync(this ICoreV1Operations operations, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1Namespace>(operations, "api/v1/namespaces", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1Node)> WatchListNodeAsync(this ICoreV1Operations operations, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1Node>(operations, "api/v1/nodes", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1Pod)> WatchListNamespacedPodAsync(this ICoreV1Operations operations, string namespaceParameter, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1Pod>(operations, $"api/v1/namespaces/{Uri.EscapeDataString(namespaceParameter)}/pods", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1Pod)> WatchListPodForAllNamespacesAsync(this ICoreV1Operations operations, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1Pod>(operations, "api/v1/pods", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);
}

/// <summary>Watch calls of the apps/v1 group for the NativeAOT build.</summary>
public static class AotAppsV1Watch
{
    public static IAsyncEnumerable<(WatchEventType, V1Deployment)> WatchListNamespacedDeploymentAsync(this IAppsV1Operations operations, string namespaceParameter, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1Deployment>(operations, $"apis/apps/v1/namespaces/{Uri.EscapeDataString(namespaceParameter)}/deployments", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1Deployment)> WatchListDeploymentForAllNamespacesAsync(this IAppsV1Operations operations, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1Deployment>(operations, "apis/apps/v1/deployments", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1ReplicaSet)> WatchListNamespacedReplicaSetAsync(this IAppsV1Operations operations, string namespaceParameter, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1ReplicaSet>(operations, $"apis/apps/v1/namespaces/{Uri.EscapeDataString(namespaceParameter)}/replicasets", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1ReplicaSet)> WatchListReplicaSetForAllNamespacesAsync(this IAppsV1Operations operations, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1ReplicaSet>(operations, "apis/apps/v1/replicasets", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1StatefulSet)> WatchListNamespacedStatefulSetAsync(this IAppsV1Operations operations, string namespaceParameter, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1StatefulSet>(operations, $"apis/apps/v1/namespaces/{Uri.EscapeDataString(namespaceParameter)}/statefulsets", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1StatefulSet)> WatchListStatefulSetForAllNamespacesAsync(this IAppsV1Operations operations, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1StatefulSet>(operations, "apis/apps/v1/statefulsets", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);
}

/// <summary>Watch calls of the policy/v1 group for the NativeAOT build.</summary>
public static class AotPolicyV1Watch
{
    public static IAsyncEnumerable<(WatchEventType, V1PodDisruptionBudget)> WatchListNamespacedPodDisruptionBudgetAsync(this IPolicyV1Operations operations, string namespaceParameter, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1PodDisruptionBudget>(operations, $"apis/policy/v1/namespaces/{Uri.EscapeDataString(namespaceParameter)}/poddisruptionbudgets", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1PodDisruptionBudget)> WatchListPodDisruptionBudgetForAllNamespacesAsync(this IPolicyV1Operations operations, bool? allowWatchBookmarks = null, string? resourceVersion = null, int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        AotWatch.StreamAsync<V1PodDisruptionBudget>(operations, "apis/policy/v1/poddisruptionbudgets", allowWatchBookmarks, resourceVersion, timeoutSeconds, onError, cancellationToken);
}

/// <summary>One watch request, streamed: the shared part of <see cref="AotCoreV1Watch"/>, <see cref="AotAppsV1Watch"/> and <see cref="AotPolicyV1Watch"/>.</summary>
internal static class AotWatch
{
    public static async IAsyncEnumerable<(WatchEventType, T)> StreamAsync<T>(
        object operations, string path, bool? allowWatchBookmarks, string? resourceVersion, int? timeoutSeconds, Action<Exception>? onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // KubernetesClient's group operations are the client itself (Kubernetes implements every I*Operations).
        var client = operations as Kubernetes ?? throw new InvalidOperationException($"watch needs a k8s.Kubernetes client, not {operations.GetType().Name}");
        var query = new StringBuilder(path).Append("?watch=1");
        if (allowWatchBookmarks == true)
        {
            query.Append("&allowWatchBookmarks=true");
        }

        if (!string.IsNullOrEmpty(resourceVersion))
        {
            query.Append("&resourceVersion=").Append(Uri.EscapeDataString(resourceVersion));
        }

        if (timeoutSeconds is { } timeout)
        {
            query.Append("&timeoutSeconds=").Append(timeout.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, query.ToString())) { Version = HttpVersion.Version20 };
        if (client.Credentials is not null)
        {
            await client.Credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new KubernetesException(ReadStatus(body) ?? new V1Status { Code = (int)response.StatusCode, Message = body });
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                onError?.Invoke(e);
                yield break;
            }

            if (line is null)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var parsed = Parse<T>(line, out var error);
            if (error is not null)
            {
                onError?.Invoke(error);
                yield break;
            }

            if (parsed is { } item)
            {
                yield return item;
            }
        }
    }

    private static (WatchEventType, T)? Parse<T>(string line, out Exception? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString();
            var body = root.GetProperty("object");
            switch (type)
            {
                case "ADDED": return (WatchEventType.Added, KubernetesJson.Deserialize<T>(body));
                case "MODIFIED": return (WatchEventType.Modified, KubernetesJson.Deserialize<T>(body));
                case "DELETED": return (WatchEventType.Deleted, KubernetesJson.Deserialize<T>(body));
                case "BOOKMARK": return (WatchEventType.Bookmark, KubernetesJson.Deserialize<T>(body));
                case "ERROR":
                    error = new KubernetesException(KubernetesJson.Deserialize<V1Status>(body));
                    return null;
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            error = e;
            return null;
        }
    }

    private static V1Status? ReadStatus(string body)
    {
        try
        {
            return string.IsNullOrWhiteSpace(body) ? null : KubernetesJson.Deserialize<V1Status>(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
#endif
