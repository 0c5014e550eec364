using System.Globalization;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// One item of the node-pool controller's queue: what to do (<see cref="Kind"/>) and to what (a node, pool or
/// NodePool name, or a launch id). Equal items are one item, so marking twice does the work once.
/// </summary>
internal readonly record struct NodePoolWork(NodePoolWorkKind Kind, string Name = "", int LaunchId = 0)
{
    /// <summary>The order of a round: by kind, then name, then launch id.</summary>
    public static IComparer<NodePoolWork> Order { get; } = Comparer<NodePoolWork>.Create((a, b) =>
        a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind)
        : string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName
        : a.LaunchId.CompareTo(b.LaunchId));

    public static NodePoolWork Initialize => new(NodePoolWorkKind.Initialize);

    public static NodePoolWork Provision => new(NodePoolWorkKind.Provision);

    public static NodePoolWork WriteStatus => new(NodePoolWorkKind.WriteStatus);

    public static NodePoolWork FinishLaunch(int id) => new(NodePoolWorkKind.FinishLaunch, LaunchId: id);

    public static NodePoolWork Node(string name) => new(NodePoolWorkKind.Node, name);

    public static NodePoolWork Reclaim(string node) => new(NodePoolWorkKind.Reclaim, node);

    public static NodePoolWork RandomInterruption(string node) => new(NodePoolWorkKind.RandomInterruption, node);

    public static NodePoolWork InterruptRequest(string node) => new(NodePoolWorkKind.InterruptRequest, node);

    public static NodePoolWork SimulatedPool(string name) => new(NodePoolWorkKind.SimulatedPool, name);

    public static NodePoolWork KarpenterNodePool(string name) => new(NodePoolWorkKind.KarpenterNodePool, name);

    /// <summary>For logs: the kind and its subject.</summary>
    public override string ToString() => Kind == NodePoolWorkKind.FinishLaunch
        ? $"{Kind} {LaunchId.ToString(CultureInfo.InvariantCulture)}"
        : Name.Length == 0 ? Kind.ToString() : $"{Kind} {Name}";
}
