using Spotalis.Core.Capacity;
using Spotalis.Core.Nodes;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// Evidence that spot capacity exists now, read from the cache instead of found out by evicting a serving pod:
/// a pod created after the fallback began runs on a Ready spot node, or a Ready, schedulable spot node that is not
/// leaving has a free pod slot.
/// </summary>
internal static class SpotCapacityEvidence
{
    /// <returns>The evidence in words, or null when there is none.</returns>
    public static string? Find(IClusterView view, NodeClassifier classifier, DateTimeOffset fallbackSince)
    {
        string? room = null;
        foreach (var node in view.GetNodes())
        {
            if (!node.Ready)
            {
                continue;
            }

            var classification = classifier.Classify(new NodeDescription(
                node.Name,
                node.Labels,
                node.Taints.Select(t => new NodeTaint(t.Key, t.Value, t.Effect)).ToArray(),
                node.Unschedulable));
            if (classification.CapacityType != CapacityType.Spot || classification.Leaving || node.Unschedulable)
            {
                continue;
            }

            if (view.GetPodsOnNode(node.Name) is not { } pods)
            {
                continue;
            }

            var active = pods.Where(p => p.IsLive).ToList();
            if (active.FirstOrDefault(p => p.CreatedAt > fallbackSince && p.Ready) is { } newcomer)
            {
                return $"pod {newcomer.Namespace}/{newcomer.Name}, created after the fallback, runs on spot node {node.Name}";
            }

            if (room is null && node.AllocatablePods is { } slots && active.Count < slots)
            {
                room = $"spot node {node.Name} is Ready with room ({active.Count}/{slots} pods)";
            }
        }

        return room;
    }
}
