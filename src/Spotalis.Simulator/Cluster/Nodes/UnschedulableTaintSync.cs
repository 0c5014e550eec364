using k8s.Models;
using Spotalis.Simulator.Cluster.Controllers;
using Spotalis.Simulator.Cluster.Matching;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>The node lifecycle controller's part: <c>node.kubernetes.io/unschedulable:NoSchedule</c> in step with <c>spec.unschedulable</c>.</summary>
internal sealed class UnschedulableTaintSync(ControllerContext context)
{
    public void Sync(V1Node node)
    {
        if (IsCordoned(node) == HasTaint(node.Spec?.Taints))
        {
            return;
        }

        var now = context.Now;
        context.Api.Mutate<V1Node>(null, node.Metadata.Name, n =>
        {
            n.Spec ??= new V1NodeSpec();
            var isCordoned = IsCordoned(n);
            var taints = n.Spec.Taints ?? [];
            if (isCordoned == HasTaint(taints))
            {
                return false;
            }

            if (isCordoned)
            {
                taints.Add(new V1Taint { Key = NodeFit.UnschedulableTaintKey, Effect = TolerationMatcher.NoSchedule, TimeAdded = now });
            }
            else
            {
                taints = [.. taints.Where(t => !IsUnschedulableTaint(t))];
            }

            n.Spec.Taints = taints.Count == 0 ? null : taints;
            return true;
        });
    }

    private static bool IsCordoned(V1Node node) => node.Spec?.Unschedulable == true;

    private static bool HasTaint(IEnumerable<V1Taint>? taints) => taints?.Any(IsUnschedulableTaint) == true;

    private static bool IsUnschedulableTaint(V1Taint taint) =>
        taint.Key == NodeFit.UnschedulableTaintKey && taint.Effect == TolerationMatcher.NoSchedule;
}
