using k8s.Models;

namespace Spotalis.Simulator.Cluster.State;

/// <summary>Read-only facts about a pod that the controllers use (phase, readiness, ownership).</summary>
internal static class PodFacts
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Unknown = "Unknown";

    public static bool IsTerminating(V1Pod pod) => pod.Metadata.DeletionTimestamp is not null;

    public static bool IsFinished(V1Pod pod) => pod.Status?.Phase is Succeeded or Failed;

    /// <summary>Counts toward a controller's replicas: not finished and not being deleted (upstream FilterActivePods).</summary>
    public static bool IsActive(V1Pod pod) => !IsTerminating(pod) && !IsFinished(pod);

    public static bool IsReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    public static V1PodCondition? ReadyCondition(V1Pod pod) => FindCondition(pod, "Ready");

    public static V1PodCondition? FindCondition(V1Pod pod, string type)
    {
        var conditions = pod.Status?.Conditions;
        if (conditions is null)
        {
            return null;
        }

        foreach (var condition in conditions)
        {
            if (condition.Type == type)
            {
                return condition;
            }
        }

        return null;
    }

    /// <summary>Ready for at least <paramref name="minReadySeconds"/> at <paramref name="now"/>.</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTime now)
    {
        var ready = ReadyCondition(pod);
        if (ready?.Status != "True")
        {
            return false;
        }

        if (minReadySeconds <= 0)
        {
            return true;
        }

        return ready.LastTransitionTime is { } since && since.AddSeconds(minReadySeconds) <= now;
    }

    /// <summary>When the pod turns available, or null when it is not ready (or already available).</summary>
    public static DateTime? AvailableAt(V1Pod pod, int minReadySeconds)
    {
        var ready = ReadyCondition(pod);
        if (ready?.Status != "True" || minReadySeconds <= 0 || ready.LastTransitionTime is null)
        {
            return null;
        }

        return ready.LastTransitionTime.Value.AddSeconds(minReadySeconds);
    }

    /// <summary>True when the pod's scheduler gave up on it (PodScheduled=False, reason Unschedulable).</summary>
    public static bool IsUnschedulable(V1Pod pod)
    {
        var scheduled = FindCondition(pod, "PodScheduled");
        return scheduled is { Status: "False", Reason: "Unschedulable" };
    }

    public static int RestartCount(V1Pod pod)
    {
        var total = 0;
        if (pod.Status?.ContainerStatuses is { } statuses)
        {
            foreach (var status in statuses)
            {
                total += status.RestartCount;
            }
        }

        return total;
    }

    public static V1OwnerReference? ControllerOf(V1ObjectMeta metadata)
    {
        if (metadata.OwnerReferences is null)
        {
            return null;
        }

        foreach (var owner in metadata.OwnerReferences)
        {
            if (owner.Controller == true)
            {
                return owner;
            }
        }

        return null;
    }
}
