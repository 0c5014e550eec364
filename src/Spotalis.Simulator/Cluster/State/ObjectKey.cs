namespace Spotalis.Simulator.Cluster.State;

/// <summary>"namespace/name" keys (or just "name" for cluster-scoped objects), as client-go's cache uses them.</summary>
internal static class ObjectKey
{
    public static string Of(string? namespaceName, string name) =>
        string.IsNullOrEmpty(namespaceName) ? name : string.Concat(namespaceName, "/", name);

    public static (string? Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }
}
