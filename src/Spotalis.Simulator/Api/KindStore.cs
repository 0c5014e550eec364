using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>The stored objects of one kind, indexed by namespace then name (both in key order, like etcd).</summary>
internal sealed class KindStore(ResourceType resource)
{
    private readonly SortedDictionary<string, SortedDictionary<string, IKubernetesObject<V1ObjectMeta>>> byNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Array> namespaceListCache = new(StringComparer.Ordinal);
    private Array? allListCache;

    public ResourceType Resource { get; } = resource;

    public int Count { get; private set; }

    public IKubernetesObject<V1ObjectMeta>? Get(string? namespaceName, string name) =>
        byNamespace.TryGetValue(namespaceName ?? string.Empty, out var names) && names.TryGetValue(name, out var obj) ? obj : null;

    public void Put(IKubernetesObject<V1ObjectMeta> obj)
    {
        var namespaceName = obj.Metadata.NamespaceProperty ?? string.Empty;
        if (!byNamespace.TryGetValue(namespaceName, out var names))
        {
            names = new SortedDictionary<string, IKubernetesObject<V1ObjectMeta>>(StringComparer.Ordinal);
            byNamespace[namespaceName] = names;
        }

        if (!names.ContainsKey(obj.Metadata.Name))
        {
            Count++;
        }

        names[obj.Metadata.Name] = obj;
        Invalidate(namespaceName);
    }

    public bool Remove(string? namespaceName, string name)
    {
        var key = namespaceName ?? string.Empty;
        if (!byNamespace.TryGetValue(key, out var names) || !names.Remove(name))
        {
            return false;
        }

        Count--;
        if (names.Count == 0)
        {
            byNamespace.Remove(key);
        }

        Invalidate(key);
        return true;
    }

    /// <summary>A cached, immutable snapshot of the objects in one namespace (or all), typed as the model.</summary>
    public IReadOnlyList<T> List<T>(string? namespaceName)
        where T : class
    {
        if (namespaceName is null)
        {
            allListCache ??= Build<T>(byNamespace.Values.SelectMany(n => n.Values));
            return (T[])allListCache;
        }

        if (!namespaceListCache.TryGetValue(namespaceName, out var cached))
        {
            cached = Build<T>(byNamespace.TryGetValue(namespaceName, out var names) ? names.Values : []);
            namespaceListCache[namespaceName] = cached;
        }

        return (T[])cached;
    }

    /// <summary>Objects as untyped snapshots (for the HTTP layer).</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> ListUntyped(string? namespaceName) =>
        namespaceName is null
            ? byNamespace.Values.SelectMany(n => n.Values).ToList()
            : byNamespace.TryGetValue(namespaceName, out var names) ? names.Values.ToList() : [];

    /// <summary>Names of namespaces that hold objects of this kind.</summary>
    public IReadOnlyList<string> Namespaces => byNamespace.Keys.ToList();

    private static T[] Build<T>(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
        where T : class => objects.Cast<T>().ToArray();

    private void Invalidate(string namespaceName)
    {
        allListCache = null;
        namespaceListCache.Remove(namespaceName);
    }
}
