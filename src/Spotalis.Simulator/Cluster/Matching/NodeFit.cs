using k8s.Models;

namespace Spotalis.Simulator.Cluster.Matching;

/// <summary>
/// The scheduler's filters for one pod on one node, in the default plugin order (NodeUnschedulable, NodeName,
/// TaintToleration, NodeAffinity, NodeResourcesFit). Each failure yields the reason text the real scheduler
/// puts in its FailedScheduling message.
/// </summary>
internal static class NodeFit
{
    public const string NotReadyTaintKey = "node.kubernetes.io/not-ready";
    public const string UnschedulableTaintKey = "node.kubernetes.io/unschedulable";

    /// <summary>Reasons the pod cannot go to the node (empty when it fits) given the resources already used there.</summary>
    public static List<string> Reasons(V1PodSpec spec, ResourceAmounts requests, V1Node node, ResourceAmounts used)
    {
        var reasons = new List<string>(2);
        if (node.Spec?.Unschedulable == true
            && !TolerationMatcher.Tolerates(spec.Tolerations, new V1Taint { Key = UnschedulableTaintKey, Effect = TolerationMatcher.NoSchedule }))
        {
            reasons.Add("node(s) were unschedulable");
            return reasons;
        }

        if (!string.IsNullOrEmpty(spec.NodeName) && spec.NodeName != node.Metadata.Name)
        {
            reasons.Add("node(s) didn't match the requested node name");
            return reasons;
        }

        if (UntoleratedTaint(spec, node) is { } taint)
        {
            reasons.Add($"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}");
            return reasons;
        }

        if (!NodeSelectorMatcher.MatchesRequired(spec, node))
        {
            reasons.Add("node(s) didn't match Pod's node affinity/selector");
            return reasons;
        }

        var free = ResourceAmounts.Allocatable(node) - used;
        if (requests.Pods > free.Pods)
        {
            reasons.Add("Too many pods");
        }

        if (requests.CpuMillis > free.CpuMillis)
        {
            reasons.Add("Insufficient cpu");
        }

        if (requests.MemoryBytes > free.MemoryBytes)
        {
            reasons.Add("Insufficient memory");
        }

        return reasons;
    }

    /// <summary>The first NoSchedule/NoExecute taint the pod does not tolerate (a not-ready node counts as tainted).</summary>
    public static V1Taint? UntoleratedTaint(V1PodSpec spec, V1Node node)
    {
        if (node.Spec?.Taints is { } taints)
        {
            foreach (var taint in taints)
            {
                if (taint.Effect is TolerationMatcher.NoSchedule or TolerationMatcher.NoExecute
                    && !TolerationMatcher.Tolerates(spec.Tolerations, taint))
                {
                    return taint;
                }
            }
        }

        if (!IsReady(node))
        {
            var notReady = new V1Taint { Key = NotReadyTaintKey, Effect = TolerationMatcher.NoSchedule };
            if (!TolerationMatcher.Tolerates(spec.Tolerations, notReady))
            {
                return notReady;
            }
        }

        return null;
    }

    public static int IntolerablePreferNoScheduleTaints(V1PodSpec spec, V1Node node)
    {
        var count = 0;
        if (node.Spec?.Taints is { } taints)
        {
            foreach (var taint in taints)
            {
                if (taint.Effect == TolerationMatcher.PreferNoSchedule && !TolerationMatcher.Tolerates(spec.Tolerations, taint))
                {
                    count++;
                }
            }
        }

        return count;
    }

    public static bool IsReady(V1Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
