using k8s.Models;
using Spotalis.Simulator.Cluster.Matching;

namespace Spotalis.Simulator.Cluster.State;

/// <summary>A pod as indexed: the stored snapshot plus the facts the indexes are keyed on.</summary>
internal sealed record PodEntry(V1Pod Pod, string Key, string? NodeName, string? ControllerUid, ResourceAmounts Requests)
{
    /// <summary>Occupies its node's resources: bound and not finished (terminating pods still hold them).</summary>
    public bool HoldsNodeResources => NodeName is not null && !PodFacts.IsFinished(Pod);
}
