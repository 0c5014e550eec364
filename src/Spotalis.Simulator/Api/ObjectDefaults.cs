using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>The subset of the apiserver's defaulting that clients and controllers observe (pod spec, workload specs, namespaces).</summary>
internal static class ObjectDefaults
{
    public static void Apply(object obj)
    {
        switch (obj)
        {
            case V1Namespace ns:
                ns.Metadata.Labels ??= new Dictionary<string, string>();
                ns.Metadata.Labels["kubernetes.io/metadata.name"] = ns.Metadata.Name;
                ns.Status ??= new V1NamespaceStatus();
                ns.Status.Phase ??= "Active";
                break;
            case V1Pod pod:
                Pod(pod.Spec);
                pod.Status ??= new V1PodStatus();
                pod.Status.Phase ??= "Pending";
                pod.Status.QosClass ??= QosClass(pod.Spec);
                break;
            case V1Deployment deployment:
                deployment.Spec ??= new V1DeploymentSpec();
                deployment.Spec.Replicas ??= 1;
                deployment.Spec.RevisionHistoryLimit ??= 10;
                deployment.Spec.ProgressDeadlineSeconds ??= 600;
                deployment.Spec.Strategy ??= new V1DeploymentStrategy();
                deployment.Spec.Strategy.Type ??= "RollingUpdate";
                if (deployment.Spec.Strategy.Type == "RollingUpdate")
                {
                    deployment.Spec.Strategy.RollingUpdate ??= new V1RollingUpdateDeployment();
                    deployment.Spec.Strategy.RollingUpdate.MaxSurge ??= "25%";
                    deployment.Spec.Strategy.RollingUpdate.MaxUnavailable ??= "25%";
                }

                Pod(deployment.Spec.Template?.Spec);
                break;
            case V1ReplicaSet replicaSet:
                replicaSet.Spec ??= new V1ReplicaSetSpec();
                replicaSet.Spec.Replicas ??= 1;
                Pod(replicaSet.Spec.Template?.Spec);
                break;
            case V1StatefulSet statefulSet:
                statefulSet.Spec ??= new V1StatefulSetSpec();
                statefulSet.Spec.Replicas ??= 1;
                statefulSet.Spec.PodManagementPolicy ??= "OrderedReady";
                statefulSet.Spec.RevisionHistoryLimit ??= 10;
                statefulSet.Spec.UpdateStrategy ??= new V1StatefulSetUpdateStrategy();
                statefulSet.Spec.UpdateStrategy.Type ??= "RollingUpdate";
                Pod(statefulSet.Spec.Template?.Spec);
                break;
            case V1Service service:
                service.Spec ??= new V1ServiceSpec();
                service.Spec.Type ??= "ClusterIP";
                service.Spec.SessionAffinity ??= "None";
                foreach (var port in service.Spec.Ports ?? [])
                {
                    port.Protocol ??= "TCP";
                    port.TargetPort ??= port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                break;
        }
    }

    private static void Pod(V1PodSpec? spec)
    {
        if (spec is null)
        {
            return;
        }

        spec.RestartPolicy ??= "Always";
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.DnsPolicy ??= "ClusterFirst";
        spec.SchedulerName ??= "default-scheduler";
        spec.ServiceAccountName ??= "default";
        spec.SecurityContext ??= new V1PodSecurityContext();
        foreach (var container in spec.Containers ?? [])
        {
            container.TerminationMessagePath ??= "/dev/termination-log";
            foreach (var port in container.Ports ?? [])
            {
                port.Protocol ??= "TCP";
            }

            container.TerminationMessagePolicy ??= "File";
            container.ImagePullPolicy ??= container.Image is not null && (container.Image.EndsWith(":latest", StringComparison.Ordinal) || !container.Image.Contains(':', StringComparison.Ordinal))
                ? "Always"
                : "IfNotPresent";
        }
    }

    private static string QosClass(V1PodSpec? spec)
    {
        var containers = spec?.Containers ?? [];
        if (containers.All(c => (c.Resources?.Requests?.Count ?? 0) == 0 && (c.Resources?.Limits?.Count ?? 0) == 0))
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c =>
            c.Resources?.Limits is { } limits && limits.ContainsKey("cpu") && limits.ContainsKey("memory") &&
            (c.Resources.Requests is null || c.Resources.Requests.All(r => limits.TryGetValue(r.Key, out var l) && l.ToString() == r.Value.ToString())));
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
