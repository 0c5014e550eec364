namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// What a <see cref="NodePoolWork"/> item asks for. The order of the members is the order in which one round handles
/// them (it matches the order of the string keys this queue had before, so seeded runs replay the same).
/// </summary>
internal enum NodePoolWorkKind
{
    /// <summary>Create the cloud resources and the pools' initial nodes.</summary>
    Initialize,

    /// <summary>Plan launches for unschedulable pods.</summary>
    Provision,

    /// <summary>Write each SimulatedPool's status.</summary>
    WriteStatus,

    /// <summary>Answer a <c>sim.spotalis.io/interrupt</c> annotation on a node.</summary>
    InterruptRequest,

    /// <summary>Finish a launch whose provisioning delay is over.</summary>
    FinishLaunch,

    /// <summary>Keep a node's unschedulable taint in step and scale it in when empty.</summary>
    Node,

    /// <summary>Apply a Karpenter NodePool's capacity types and limits.</summary>
    KarpenterNodePool,

    /// <summary>Start a random spot interruption of a node.</summary>
    RandomInterruption,

    /// <summary>Reclaim a node at the end of its interruption notice.</summary>
    Reclaim,

    /// <summary>Apply a SimulatedPool's spec (outage, node limit).</summary>
    SimulatedPool,
}
