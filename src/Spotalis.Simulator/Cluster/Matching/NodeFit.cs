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
        if (StaticReason(spec, node) is { } reason)
        {
            reasons.Add(reason);
            return reasons;
        }

        AddResourceReasons(requests, ResourceAmounts.Allocatable(node) - used, reasons);
        return reasons;
    }

    /// <summary>
    /// The first failing filter that does not depend on what runs on the node (cordon, nodeName, taints, node
    /// selection), or null. Pods with the same placement constraints share the answer.
    /// </summary>
    public static string? StaticReason(V1PodSpec spec, V1Node node)
    {
        if (node.Spec?.Unschedulable == true
            && !TolerationMatcher.Tolerates(spec.Tolerations, new V1Taint { Key = UnschedulableTaintKey, Effect = TolerationMatcher.NoSchedule }))
        {
            return "node(s) were unschedulable";
        }

        if (!string.IsNullOrEmpty(spec.NodeName) && spec.NodeName != node.Metadata.Name)
        {
            return "node(s) didn't match the requested node name";
        }

        if (UntoleratedTaint(spec, node) is { } taint)
        {
            return $"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}";
        }

        return NodeSelectorMatcher.MatchesRequired(spec, node) ? null : "node(s) didn't match Pod's node affinity/selector";
    }

    /// <summary>Adds "Too many pods" / "Insufficient cpu" / "Insufficient memory"; returns true when the pod fits.</summary>
    public static bool AddResourceReasons(ResourceAmounts requests, ResourceAmounts free, List<string>? reasons)
    {
        var fits = true;
        if (requests.Pods > free.Pods)
        {
            reasons?.Add("Too many pods");
            fits = false;
        }

        if (requests.CpuMillis > free.CpuMillis)
        {
            reasons?.Add("Insufficient cpu");
            fits = false;
        }

        if (requests.MemoryBytes > free.MemoryBytes)
        {
            reasons?.Add("Insufficient memory");
            fits = false;
        }

        return fits;
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
