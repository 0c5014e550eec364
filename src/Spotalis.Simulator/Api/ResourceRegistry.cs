using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>The resources the simulator serves, looked up by model type, by URL (group/version/plural) or by kind.</summary>
public static class ResourceRegistry
{
    private static readonly string[] None = [];

    /// <summary>Every served resource, in discovery order.</summary>
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Core("Namespace", "namespaces", false, typeof(V1Namespace), ["ns"], ["status"]),
        Core("Node", "nodes", false, typeof(V1Node), ["no"], ["status"]),
        Core("Pod", "pods", true, typeof(V1Pod), ["po"], ["status", "eviction", "binding"]),
        Core("Event", "events", true, typeof(Corev1Event), ["ev"], None),
        Core("ConfigMap", "configmaps", true, typeof(V1ConfigMap), ["cm"], None),
        Core("Secret", "secrets", true, typeof(V1Secret), None, None),
        Core("Service", "services", true, typeof(V1Service), ["svc"], ["status"]),
        Core("ServiceAccount", "serviceaccounts", true, typeof(V1ServiceAccount), ["sa"], None),
        Core("Endpoints", "endpoints", true, typeof(V1Endpoints), ["ep"], None),
        Of("apps", "v1", "Deployment", "deployments", true, typeof(V1Deployment), ["deploy"], ["status", "scale"]),
        Of("apps", "v1", "ReplicaSet", "replicasets", true, typeof(V1ReplicaSet), ["rs"], ["status", "scale"]),
        Of("apps", "v1", "StatefulSet", "statefulsets", true, typeof(V1StatefulSet), ["sts"], ["status", "scale"]),
        Of("apps", "v1", "DaemonSet", "daemonsets", true, typeof(V1DaemonSet), ["ds"], ["status"]),
        Of("apps", "v1", "ControllerRevision", "controllerrevisions", true, typeof(V1ControllerRevision), None, None),
        Of("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, typeof(V1PodDisruptionBudget), ["pdb"], ["status"]),
        Of("coordination.k8s.io", "v1", "Lease", "leases", true, typeof(V1Lease), None, None),
        Of("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, typeof(V1EndpointSlice), None, None),
        Of("events.k8s.io", "v1", "Event", "events", true, typeof(Eventsv1Event), ["ev"], None),
        Of("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false, typeof(V1MutatingWebhookConfiguration), None, None),
        Of("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false, typeof(V1ValidatingWebhookConfiguration), None, None),
        Of("rbac.authorization.k8s.io", "v1", "Role", "roles", true, typeof(V1Role), None, None),
        Of("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, typeof(V1RoleBinding), None, None),
        Of("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, typeof(V1ClusterRole), None, None),
        Of("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, typeof(V1ClusterRoleBinding), None, None),
        Of("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, typeof(V1CustomResourceDefinition), ["crd", "crds"], ["status"]),
    ];

    private static readonly Dictionary<Type, ResourceType> ByType = All.ToDictionary(r => r.ModelType);

    private static readonly Dictionary<(string Group, string Version, string Plural), ResourceType> ByPath =
        All.ToDictionary(r => (r.Group, r.Version, r.Plural));

    /// <summary>The group/versions served, in discovery order (core "v1" excluded).</summary>
    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } =
        All.Where(r => r.Group.Length > 0).Select(r => (r.Group, r.Version)).Distinct().ToList();

    /// <summary>The resource stored as <paramref name="modelType"/>; throws when the simulator does not serve it.</summary>
    public static ResourceType ForType(Type modelType) =>
        ByType.TryGetValue(modelType, out var resource)
            ? resource
            : throw new ApiException(404, "NotFound", $"the server does not serve objects of type {modelType.Name}");

    /// <summary>The resource at <c>/api(s)/group/version/plural</c>, or null.</summary>
    public static ResourceType? ForPath(string group, string version, string plural) =>
        ByPath.TryGetValue((group, version, plural), out var resource) ? resource : null;

    private static ResourceType Core(string kind, string plural, bool namespaced, Type type, string[] shortNames, string[] subresources) =>
        Of(string.Empty, "v1", kind, plural, namespaced, type, shortNames, subresources);

    private static ResourceType Of(string group, string version, string kind, string plural, bool namespaced, Type type, string[] shortNames, string[] subresources) =>
        new(group, version, kind, plural, kind.ToLowerInvariant(), namespaced, type, shortNames, subresources);
}
