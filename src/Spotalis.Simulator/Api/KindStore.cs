using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>The stored objects of one kind, indexed by namespace then name (both in key order, like etcd).</summary>
internal sealed class KindStore(ResourceType resource)
{
    private readonly SortedDictionary<string, SortedDictionary<string, IKubernetesObject<V1ObjectMeta>>> _byNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Array> _namespaceListCache = new(StringComparer.Ordinal);
    private Array? _allListCache;

    public ResourceType Resource { get; } = resource;

    public int Count { get; private set; }

    public IKubernetesObject<V1ObjectMeta>? Get(string? namespaceName, string name) =>
        _byNamespace.TryGetValue(namespaceName ?? string.Empty, out var names) && names.TryGetValue(name, out var obj) ? obj : null;

    public void Put(IKubernetesObject<V1ObjectMeta> obj)
    {
        var namespaceName = obj.Metadata.NamespaceProperty ?? string.Empty;
        if (!_byNamespace.TryGetValue(namespaceName, out var names))
        {
            names = new SortedDictionary<string, IKubernetesObject<V1ObjectMeta>>(StringComparer.Ordinal);
            _byNamespace[namespaceName] = names;
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
        if (!_byNamespace.TryGetValue(key, out var names) || !names.Remove(name))
        {
            return false;
        }

        Count--;
        if (names.Count == 0)
        {
            _byNamespace.Remove(key);
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
            _allListCache ??= Build<T>(_byNamespace.Values.SelectMany(n => n.Values));
            return (T[])_allListCache;
        }

        if (!_namespaceListCache.TryGetValue(namespaceName, out var cached))
        {
            cached = Build<T>(_byNamespace.TryGetValue(namespaceName, out var names) ? names.Values : []);
            _namespaceListCache[namespaceName] = cached;
        }

        return (T[])cached;
    }

    /// <summary>Objects as untyped snapshots (for the HTTP layer).</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> ListUntyped(string? namespaceName) =>
        namespaceName is null
            ? _byNamespace.Values.SelectMany(n => n.Values).ToList()
            : _byNamespace.TryGetValue(namespaceName, out var names) ? names.Values.ToList() : [];

    /// <summary>Names of namespaces that hold objects of this kind.</summary>
    public IReadOnlyList<string> Namespaces => _byNamespace.Keys.ToList();

    private static T[] Build<T>(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
        where T : class => objects.Cast<T>().ToArray();

    private void Invalidate(string namespaceName)
    {
        _allListCache = null;
        _namespaceListCache.Remove(namespaceName);
    }
}
