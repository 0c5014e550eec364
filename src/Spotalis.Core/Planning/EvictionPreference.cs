namespace Spotalis.Core.Planning;

/// <summary>
/// Which pod to move first, for Deployments and StatefulSets alike: those whose eviction costs no availability (not
/// Ready, then not yet scheduled), then those on nodes that are leaving anyway, then those of an old revision. Each
/// kind adds its own last tie-break (newest pod; highest ordinal).
/// </summary>
public static class EvictionPreference
{
    public static IOrderedEnumerable<PodState> Order(IEnumerable<PodState> pods) => pods
        .OrderBy(pod => pod.Ready)
        .ThenBy(pod => pod.Scheduled)
        .ThenByDescending(pod => pod.NodeLeaving)
        .ThenBy(pod => pod.CurrentRevision);
}
