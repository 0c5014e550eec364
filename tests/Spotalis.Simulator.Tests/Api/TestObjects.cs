using k8s.Models;

namespace Spotalis.Simulator.Tests.Api;

internal static class TestObjects
{
    public static V1Pod Pod(string name, string ns = "default", IDictionary<string, string>? labels = null, string? node = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels ?? new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
    };

    /// <summary>Marks the pod Running and Ready on a node, as the kubelet would.</summary>
    public static void MakeReady(Spotalis.Simulator.Api.ClusterApi api, string ns, string name, string node = "node-1")
    {
        api.Mutate<V1Pod>(ns, name, pod =>
        {
            pod.Spec.NodeName = node;
            return true;
        });
        api.Mutate<V1Pod>(ns, name, pod =>
        {
            pod.Status.Phase = "Running";
            pod.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }];
            return true;
        });
    }

    public static V1PodDisruptionBudget Budget(string name, IntOrString? minAvailable = null, IntOrString? maxUnavailable = null, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable,
            MaxUnavailable = maxUnavailable,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
        },
    };
}
