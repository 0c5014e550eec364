using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// Calls the generic <see cref="IClusterApi"/> members for a model type known only at run time (the garbage
/// collector handles owners and dependents of any kind).
/// </summary>
internal abstract class TypedApi
{
    private static readonly ConcurrentDictionary<Type, TypedApi> Cache = new();

    public static TypedApi For(Type type) =>
        Cache.GetOrAdd(type, t => (TypedApi)Activator.CreateInstance(typeof(TypedApi<>).MakeGenericType(t))!);

    public abstract IKubernetesObject<V1ObjectMeta>? Get(IClusterApi api, string? namespaceName, string name);

    public abstract IReadOnlyList<IKubernetesObject<V1ObjectMeta>> List(IClusterApi api);

    public abstract void Delete(IClusterApi api, string? namespaceName, string name, string? propagationPolicy);

    public abstract void Mutate(IClusterApi api, string? namespaceName, string name, Func<IKubernetesObject<V1ObjectMeta>, bool> change);
}

internal sealed class TypedApi<T> : TypedApi
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public override IKubernetesObject<V1ObjectMeta>? Get(IClusterApi api, string? namespaceName, string name) => api.Get<T>(namespaceName, name);

    public override IReadOnlyList<IKubernetesObject<V1ObjectMeta>> List(IClusterApi api) => api.List<T>();

    public override void Delete(IClusterApi api, string? namespaceName, string name, string? propagationPolicy) =>
        api.Delete<T>(namespaceName, name, null, propagationPolicy);

    public override void Mutate(IClusterApi api, string? namespaceName, string name, Func<IKubernetesObject<V1ObjectMeta>, bool> change) =>
        api.Mutate<T>(namespaceName, name, obj => change(obj));
}
