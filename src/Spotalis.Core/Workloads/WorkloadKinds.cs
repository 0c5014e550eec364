namespace Spotalis.Core.Workloads;

/// <summary>The Kubernetes kinds Spotalis manages or follows through owner references, spelled as the API spells them.</summary>
public static class WorkloadKinds
{
    public const string Deployment = "Deployment";
    public const string StatefulSet = "StatefulSet";

    /// <summary>Owns a Deployment's pods; never managed itself.</summary>
    public const string ReplicaSet = "ReplicaSet";

    /// <summary>True for the kinds a policy can be set on.</summary>
    public static bool IsManaged(string? kind) => kind is Deployment or StatefulSet;
}
