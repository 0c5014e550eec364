namespace Spotalis.Operator.Cache;

/// <summary>A StatefulSet as the cache keeps it.</summary>
internal sealed record StatefulSetSnapshot(
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
