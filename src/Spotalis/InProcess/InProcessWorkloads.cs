using Spotalis.Core.Workloads;
using Spotalis.Simulator.Api;
using k8s.Models;

namespace Spotalis.InProcess;

/// <summary>The Deployments and StatefulSets the demo and the what-if simulation create in the in-process cluster.</summary>
internal static class InProcessWorkloads
{
    /// <summary>
    /// Creates a Deployment, or a StatefulSet (pods in parallel, its Service named like it), named by
    /// <paramref name="metadata"/> and selecting its pods by <c>app=&lt;name&gt;</c>.
    /// </summary>
    public static async Task CreateAsync(
        ClusterApi api, bool statefulSet, V1ObjectMeta metadata, int replicas, V1PodTemplateSpec template, CancellationToken cancellationToken)
    {
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = metadata.Name } };
        if (statefulSet)
        {
            await api.CreateAsync(new V1StatefulSet
            {
                ApiVersion = "apps/v1",
                Kind = WorkloadKinds.StatefulSet,
                Metadata = metadata,
                Spec = new V1StatefulSetSpec { Replicas = replicas, ServiceName = metadata.Name, PodManagementPolicy = "Parallel", Selector = selector, Template = template },
            }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await api.CreateAsync(new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = WorkloadKinds.Deployment,
                Metadata = metadata,
                Spec = new V1DeploymentSpec { Replicas = replicas, Selector = selector, Template = template },
            }, cancellationToken).ConfigureAwait(false);
        }
    }
}
