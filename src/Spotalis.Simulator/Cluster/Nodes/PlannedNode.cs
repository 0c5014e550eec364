using k8s.Models;
using Spotalis.Simulator.Cluster.Matching;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>A node of a launch in flight while planning: what the pods planned onto it already use.</summary>
internal sealed class PlannedNode(V1Node template)
{
    public V1Node Template { get; } = template;

    public ResourceAmounts Used { get; set; }
}
