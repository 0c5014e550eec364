using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>The pods/binding subresource: how a scheduler assigns a pod to a node.</summary>
public sealed partial class ClusterApi
{
    /// <summary>Sets <c>spec.nodeName</c>; Conflict (409) when the pod is already bound, NotFound when it is missing.</summary>
    public V1Pod Bind(string namespaceName, string podName, string nodeName)
    {
        var pods = ResourceRegistry.ForType(typeof(V1Pod));
        lock (_gate)
        {
            var pod = (V1Pod?)Store(typeof(V1Pod)).Get(namespaceName, podName) ?? throw NotFound(pods, podName);
            if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{podName}\": pod {podName} is already assigned to node \"{pod.Spec.NodeName}\"");
            }

            if (pod.Metadata.DeletionTimestamp is not null)
            {
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{podName}\": pod {podName} is being deleted, cannot be assigned to a host");
            }

            var copy = KubeJson.Clone(pod);
            copy.Spec.NodeName = nodeName;
            var bound = (V1Pod)UpdateLocked(copy, UpdateScope.Everything, dryRun: false);
            Deliver();
            return bound;
        }
    }
}
