using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Cache;

/// <summary>
/// Builds the cache's informers: cluster-wide kinds, and namespaced kinds watched in the configured namespace only
/// (or in all of them), all with the same logger, metrics and spread watch timeouts.
/// </summary>
internal sealed class InformerFactory(string? namespaceName, ILogger logger, OperatorMetrics metrics)
{
    public ResourceInformer<TObject, TList, TSnapshot> ClusterWide<TObject, TList, TSnapshot>(
        string resource,
        Func<ListPageRequest, Task<TList>> list,
        Func<WatchRequest, IAsyncEnumerable<(WatchEventType, TObject)>> watch,
        Func<TObject, TSnapshot> project,
        Func<TSnapshot, TSnapshot, bool> same)
        where TObject : IKubernetesObject<V1ObjectMeta>
        where TList : IKubernetesObject<V1ListMeta>, IItems<TObject>
        where TSnapshot : class =>
        new(
            resource,
            (limit, next, ct) => list(new ListPageRequest(limit, next, ct)),
            (rv, onError, ct) => watch(new WatchRequest(rv, WatchTimeout(), onError, ct)),
            project,
            same,
            logger,
            metrics);

    public ResourceInformer<TObject, TList, TSnapshot> Namespaced<TObject, TList, TSnapshot>(
        string resource,
        Func<ListPageRequest, Task<TList>> listAll,
        Func<string, ListPageRequest, Task<TList>> listIn,
        Func<WatchRequest, IAsyncEnumerable<(WatchEventType, TObject)>> watchAll,
        Func<string, WatchRequest, IAsyncEnumerable<(WatchEventType, TObject)>> watchIn,
        Func<TObject, TSnapshot> project,
        Func<TSnapshot, TSnapshot, bool> same)
        where TObject : IKubernetesObject<V1ObjectMeta>
        where TList : IKubernetesObject<V1ListMeta>, IItems<TObject>
        where TSnapshot : class =>
        namespaceName is { } scope
            ? ClusterWide(resource, page => listIn(scope, page), w => watchIn(scope, w), project, same)
            : ClusterWide(resource, listAll, watchAll, project, same);

    /// <summary>Watches end after 4-6 minutes, spread so that the kinds do not all reconnect at once.</summary>
    private static int WatchTimeout() => 240 + Random.Shared.Next(120);
}
