namespace Spotalis.Core.Nodes;

/// <summary>Taints that announce a node is about to go away; pods on such nodes will be evicted anyway.</summary>
public static class LeavingTaints
{
    /// <summary>Exact taint keys that mark a leaving node.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        // Karpenter v1 taints nodes it is disrupting (consolidation, drift, expiry, spot interruption).
        "karpenter.sh/disrupted",
        // Karpenter before v1 used karpenter.sh/disruption=disrupting.
        "karpenter.sh/disruption",
        // kubectl cordon / node lifecycle controller.
        "node.kubernetes.io/unschedulable",
        // Cluster Autoscaler, right before it deletes a node.
        "ToBeDeletedByClusterAutoscaler",
        // Cloud node lifecycle controller: the instance is shut down.
        "node.cloudprovider.kubernetes.io/shutdown",
        // GKE graceful node shutdown on spot/preemptible VM preemption.
        "cloud.google.com/impending-node-termination",
    ];

    /// <summary>Taint key prefixes that mark a leaving node.</summary>
    public static IReadOnlyList<string> KeyPrefixes { get; } =
    [
        // AWS Node Termination Handler: spot-itn, rebalance-recommendation, scheduled-maintenance, asg-lifecycle-termination...
        "aws-node-termination-handler/",
    ];

    public static bool IsLeaving(NodeTaint taint)
    {
        ArgumentNullException.ThrowIfNull(taint);
        return Keys.Contains(taint.Key) || KeyPrefixes.Any(prefix => taint.Key.StartsWith(prefix, StringComparison.Ordinal));
    }
}
