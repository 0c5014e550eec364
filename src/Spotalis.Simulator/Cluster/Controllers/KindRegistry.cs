using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>The kinds the garbage collector can look up as owners: (API group, kind) to model type, and scope.</summary>
internal static class KindRegistry
{
    private static readonly Dictionary<(string Group, string Kind), Type> Types = new()
    {
        [("", "Pod")] = typeof(V1Pod),
        [("", "Node")] = typeof(V1Node),
        [("", "Namespace")] = typeof(V1Namespace),
        [("", "ConfigMap")] = typeof(V1ConfigMap),
        [("", "Secret")] = typeof(V1Secret),
        [("", "Service")] = typeof(V1Service),
        [("", "ServiceAccount")] = typeof(V1ServiceAccount),
        [("apps", "Deployment")] = typeof(V1Deployment),
        [("apps", "ReplicaSet")] = typeof(V1ReplicaSet),
        [("apps", "StatefulSet")] = typeof(V1StatefulSet),
        [("policy", "PodDisruptionBudget")] = typeof(V1PodDisruptionBudget),
        [("coordination.k8s.io", "Lease")] = typeof(V1Lease),
        [("rbac.authorization.k8s.io", "Role")] = typeof(V1Role),
        [("rbac.authorization.k8s.io", "RoleBinding")] = typeof(V1RoleBinding),
        [("rbac.authorization.k8s.io", "ClusterRole")] = typeof(V1ClusterRole),
        [("rbac.authorization.k8s.io", "ClusterRoleBinding")] = typeof(V1ClusterRoleBinding),
        [("admissionregistration.k8s.io", "MutatingWebhookConfiguration")] = typeof(V1MutatingWebhookConfiguration),
    };

    private static readonly HashSet<Type> ClusterScoped =
    [
        typeof(V1Node), typeof(V1Namespace), typeof(V1ClusterRole), typeof(V1ClusterRoleBinding), typeof(V1MutatingWebhookConfiguration),
    ];

    /// <summary>The model type of an owner reference, or null for kinds the simulator does not know.</summary>
    public static Type? Resolve(string? apiVersion, string? kind)
    {
        if (string.IsNullOrEmpty(kind))
        {
            return null;
        }

        var slash = apiVersion?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        var group = slash < 0 ? string.Empty : apiVersion![..slash];
        return Types.GetValueOrDefault((group, kind));
    }

    public static bool IsNamespaced(Type type) => !ClusterScoped.Contains(type);

    public static bool IsKnown(Type type) => Types.ContainsValue(type);

    public static IEnumerable<Type> All => Types.Values;

    /// <summary>The owner's namespace as seen from a dependent: namespaced owners live in the dependent's namespace.</summary>
    public static string? OwnerNamespace(Type ownerType, IKubernetesObject<V1ObjectMeta> dependent) =>
        IsNamespaced(ownerType) ? dependent.Metadata.NamespaceProperty : null;
}
