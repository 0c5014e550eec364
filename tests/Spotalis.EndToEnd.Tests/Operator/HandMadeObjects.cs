using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>Builds nodes, a Deployment, its ReplicaSet and Running pods directly in the store, without controllers.</summary>
internal static class HandMadeObjects
{
    public static void CreateNodes(ClusterApi api)
    {
        foreach (var (name, capacity) in new[] { ("spot-1", "spot"), ("od-1", "on-demand") })
        {
            api.CreateAsync(new V1Node
            {
                ApiVersion = "v1",
                Kind = "Node",
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = capacity } },
                Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
            }).GetAwaiter().GetResult();
        }
    }

    public static async Task CreateDeploymentWithPodsAsync(ClusterApi api, string ns, string name, int replicas, int spotPercentage, int onDemandPods, int spotPods = 0)
    {
        api.EnsureNamespace(ns);
        var labels = new Dictionary<string, string> { ["app"] = name };
        var deployment = await api.CreateAsync(new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { ["spotalis.io/enabled"] = "true" },
                Annotations = new Dictionary<string, string> { ["spotalis.io/spot-percentage"] = spotPercentage.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "app:1" }] },
                },
            },
        });
        var replicaSet = await api.CreateAsync(new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = name + "-abc",
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string>(labels) { ["pod-template-hash"] = "abc" },
                Annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = "1" },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name, Uid = deployment.Metadata.Uid, Controller = true }],
            },
            Spec = new V1ReplicaSetSpec { Replicas = replicas, Selector = new V1LabelSelector { MatchLabels = labels } },
        });
        for (var i = 0; i < onDemandPods + spotPods; i++)
        {
            var node = i < onDemandPods ? "od-1" : "spot-1";
            var pod = await api.CreateAsync(new V1Pod
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Metadata = new V1ObjectMeta
                {
                    Name = $"{name}-abc-{i}",
                    NamespaceProperty = ns,
                    Labels = new Dictionary<string, string>(labels) { ["pod-template-hash"] = "abc" },
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = replicaSet.Metadata.Name, Uid = replicaSet.Metadata.Uid, Controller = true }],
                },
                Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "app:1" }] },
            });
            api.Mutate<V1Pod>(ns, pod.Metadata.Name, p =>
            {
                p.Status = new V1PodStatus
                {
                    Phase = "Running",
                    Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }, new V1PodCondition { Type = "PodScheduled", Status = "True" }],
                };
                return true;
            });
        }
    }
}
