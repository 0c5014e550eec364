using k8s.Models;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// Which pods a ReplicaSet removes first on scale-down, in upstream order (ActivePodsWithRanks with
/// LogarithmicScaleDown): unassigned before assigned; Pending before Unknown before Running; not ready before
/// ready; lower <c>controller.kubernetes.io/pod-deletion-cost</c> first; pods doubled up on a node with more
/// related pods first; ready for a shorter time first; more restarts first; newer first. Ties break by name
/// so that the simulation is deterministic.
/// </summary>
internal static class PodDeletionRanking
{
    public const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>
    /// Sorts <paramref name="candidates"/> so that the first ones are deleted first.
    /// <paramref name="relatedPodsPerNode"/> counts the active pods of the same owner (and its sibling
    /// ReplicaSets) on each node.
    /// </summary>
    public static List<V1Pod> Order(IEnumerable<V1Pod> candidates, IReadOnlyDictionary<string, int> relatedPodsPerNode, DateTime now)
    {
        var list = candidates.ToList();
        list.Sort((a, b) => Compare(a, b, relatedPodsPerNode, now));
        return list;
    }

    public static int Compare(V1Pod a, V1Pod b, IReadOnlyDictionary<string, int> relatedPodsPerNode, DateTime now)
    {
        var aAssigned = !string.IsNullOrEmpty(a.Spec?.NodeName);
        var bAssigned = !string.IsNullOrEmpty(b.Spec?.NodeName);
        if (aAssigned != bAssigned)
        {
            return aAssigned ? 1 : -1;
        }

        var phase = PhaseRank(a).CompareTo(PhaseRank(b));
        if (phase != 0)
        {
            return phase;
        }

        var aReady = PodFacts.IsReady(a);
        var bReady = PodFacts.IsReady(b);
        if (aReady != bReady)
        {
            return aReady ? 1 : -1;
        }

        var cost = DeletionCost(a).CompareTo(DeletionCost(b));
        if (cost != 0)
        {
            return cost;
        }

        // More related pods on the same node: delete first.
        var doubled = RelatedOnNode(b, relatedPodsPerNode).CompareTo(RelatedOnNode(a, relatedPodsPerNode));
        if (doubled != 0)
        {
            return doubled;
        }

        if (aReady && bReady)
        {
            var readyFor = CompareAge(PodFacts.ReadyCondition(a)?.LastTransitionTime, PodFacts.ReadyCondition(b)?.LastTransitionTime, now);
            if (readyFor != 0)
            {
                return readyFor;
            }
        }

        var restarts = PodFacts.RestartCount(b).CompareTo(PodFacts.RestartCount(a));
        if (restarts != 0)
        {
            return restarts;
        }

        var created = CompareAge(a.Metadata.CreationTimestamp, b.Metadata.CreationTimestamp, now);
        return created != 0 ? created : string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name);
    }

    /// <summary>The annotation as an int32; missing or invalid means 0, like upstream.</summary>
    public static int DeletionCost(V1Pod pod)
    {
        if (pod.Metadata.Annotations is not null
            && pod.Metadata.Annotations.TryGetValue(DeletionCostAnnotation, out var text)
            && int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var cost))
        {
            return cost;
        }

        return 0;
    }

    private static int PhaseRank(V1Pod pod) => pod.Status?.Phase switch
    {
        PodFacts.Pending or null => 0,
        PodFacts.Unknown => 1,
        PodFacts.Running => 2,
        _ => 3,
    };

    private static int RelatedOnNode(V1Pod pod, IReadOnlyDictionary<string, int> relatedPodsPerNode) =>
        pod.Spec?.NodeName is { Length: > 0 } node ? relatedPodsPerNode.GetValueOrDefault(node) : 0;

    // Empty time first, then the younger (shorter elapsed) in log2 buckets of nanoseconds.
    private static int CompareAge(DateTime? a, DateTime? b, DateTime now)
    {
        if (a is null || b is null)
        {
            return a is null == b is null ? 0 : a is null ? -1 : 1;
        }

        return LogBucket(now - a.Value).CompareTo(LogBucket(now - b.Value));
    }

    private static long LogBucket(TimeSpan elapsed) =>
        elapsed.Ticks > 0 ? (long)Math.Log2(elapsed.Ticks * 100.0) : -1;
}
