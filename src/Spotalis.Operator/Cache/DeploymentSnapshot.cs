namespace Spotalis.Operator.Cache;

/// <summary>A Deployment as the cache keeps it (only <c>spotalis.io/*</c> labels and annotations).</summary>
internal sealed record DeploymentSnapshot(
    string Namespace,
    string Name,
    string Uid,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    int Replicas,
    long Generation,
    long ObservedGeneration,
    IReadOnlyDictionary<string, string> PodTemplateLabels);
