using Spotalis.Core.Workloads;

namespace Spotalis.Demo;

/// <summary>One of the demo's sample workloads.</summary>
public sealed record DemoWorkload(string Kind, string Namespace, string Name, int Replicas, int SpotPercentage, int MinOnDemand)
{
    /// <summary>A Deployment of 10 at 70 % floor 1, a Deployment of 4 at 50 % floor 2, a StatefulSet of 5 at 60 % floor 1.</summary>
    public static IReadOnlyList<DemoWorkload> Samples { get; } =
    [
        new(WorkloadKinds.Deployment, "shop", "web", 10, 70, 1),
        new(WorkloadKinds.Deployment, "shop", "api", 4, 50, 2),
        new(WorkloadKinds.StatefulSet, "shop", "cache", 5, 60, 1),
    ];
}
