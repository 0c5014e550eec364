namespace Spotalis.Migration;

/// <summary>Namespaces the Go controller never managed, even when labelled.</summary>
public static class GoNamespaces
{
    private static readonly string[] Names = ["kube-system", "kube-public", "kube-node-lease", "default"];
    private static readonly string[] Prefixes = ["kube-", "openshift-", "istio-"];

    public static bool NeverManagedByGo(string name) =>
        Names.Contains(name, StringComparer.Ordinal) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
}
