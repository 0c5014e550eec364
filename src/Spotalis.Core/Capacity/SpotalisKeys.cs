namespace Spotalis.Core.Capacity;

/// <summary>Every label and annotation key of the Spotalis contract (see docs/reference/labels-and-annotations.md).</summary>
public static class SpotalisKeys
{
    public const string Prefix = "spotalis.io/";

    /// <summary>Label on a workload or namespace: "true" opts in, "false" opts a workload out; the workload label wins.</summary>
    public const string Enabled = Prefix + "enabled";

    /// <summary>Workload annotation: integer 0-100, share of replicas on spot; default 0.</summary>
    public const string SpotPercentage = Prefix + "spot-percentage";

    /// <summary>Workload annotation: integer >= 0, floor of on-demand replicas; default 0.</summary>
    public const string MinOnDemand = Prefix + "min-on-demand";

    /// <summary>Workload annotation: Go duration, how long a spot pod may stay unschedulable before falling back to on-demand.</summary>
    public const string FallbackAfter = Prefix + "fallback-after";

    /// <summary>Workload annotation: integer >= 1, pods disrupted at once; default 1.</summary>
    public const string DisruptionBudget = Prefix + "disruption-budget";

    /// <summary>Workload annotation or namespace label (Go release): 5-field cron at which a disruption window opens.</summary>
    public const string DisruptionSchedule = Prefix + "disruption-schedule";

    /// <summary>Workload annotation or namespace label (Go release): Go duration the window stays open; set with the schedule.</summary>
    public const string DisruptionDuration = Prefix + "disruption-duration";

    /// <summary>Pod label set by the webhook: <c>spot</c> or <c>on-demand</c>.</summary>
    public const string CapacityType = Prefix + "capacity-type";

    /// <summary>Pod annotation set by the webhook: "true" when a pod meant for spot was placed on on-demand.</summary>
    public const string Fallback = Prefix + "fallback";

    /// <summary>
    /// Pod annotation set by the webhook: the uid of the admission request that placed the pod. The watch reporting a pod
    /// with this id ends the count of that admission (the pod then counts only while it exists).
    /// </summary>
    public const string AdmissionId = Prefix + "admission-id";

    /// <summary>
    /// Pod annotation: RFC 3339 time the workload fell back to on-demand. Written by the operator on every pod of a
    /// workload in fallback and by the webhook on every pod it places meanwhile; removed by the operator when spot is
    /// reclaimed. It is the fallback decision kept in the cluster, so that evicting a pending pod, a restart or a
    /// leader change does not forget it.
    /// </summary>
    public const string FallbackSince = Prefix + "fallback-since";

    /// <summary>Pod annotation read by the ReplicaSet controller: lower cost is removed first on scale-down.</summary>
    public const string PodDeletionCost = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>Pod annotation honoured by Karpenter and Spotalis: "true" means never evict.</summary>
    public const string DoNotDisrupt = "karpenter.sh/do-not-disrupt";

    /// <summary>The value of boolean labels and annotations that means yes.</summary>
    public const string True = "true";

    /// <summary>The value of boolean labels and annotations that means no.</summary>
    public const string False = "false";
}
