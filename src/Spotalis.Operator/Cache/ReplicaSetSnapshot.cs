namespace Spotalis.Operator.Cache;

/// <summary>A ReplicaSet as the cache keeps it: enough to link pods to their Deployment and find the newest revision.</summary>
internal sealed record ReplicaSetSnapshot(
    string Namespace,
    string Name,
    string Uid,
    OwnerRef? Controller,
    string? TemplateHash,
    long Revision,
    DateTimeOffset CreatedAt);
