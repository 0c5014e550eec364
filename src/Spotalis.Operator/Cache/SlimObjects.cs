namespace Spotalis.Operator.Cache;

/// <summary>A namespace as the cache keeps it.</summary>
internal sealed record NamespaceSlim(string Name, IReadOnlyDictionary<string, string> Labels);

/// <summary>A Deployment as the cache keeps it (only <c>spotalis.io/*</c> labels and annotations).</summary>
internal sealed record DeploymentSlim(
    string Namespace,
    string Name,
    string Uid,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    int Replicas,
    long Generation,
    long ObservedGeneration,
    IReadOnlyDictionary<string, string> PodTemplateLabels);

/// <summary>A StatefulSet as the cache keeps it.</summary>
internal sealed record StatefulSetSlim(
    string Namespace,
    string Name,
    string Uid,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    int Replicas,
    long Generation,
    long ObservedGeneration,
    string? CurrentRevision,
    string? UpdateRevision,
    IReadOnlyDictionary<string, string> PodTemplateLabels);

/// <summary>A ReplicaSet as the cache keeps it: enough to link pods to their Deployment and find the newest revision.</summary>
internal sealed record ReplicaSetSlim(
    string Namespace,
    string Name,
    string Uid,
    OwnerRef? Controller,
    string? TemplateHash,
    long Revision,
    DateTimeOffset CreatedAt);
