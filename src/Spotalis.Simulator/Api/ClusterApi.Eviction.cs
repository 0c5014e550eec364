using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>The policy/v1 Eviction subresource.</summary>
public sealed partial class ClusterApi
{
    /// <summary>The message of a real apiserver refusing an eviction because of a PodDisruptionBudget.</summary>
    public const string EvictionRefusedMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

    /// <inheritdoc />
    public void Evict(string namespaceName, string podName, long? gracePeriodSeconds = null) =>
        EvictPod(namespaceName, podName, gracePeriodSeconds, dryRun: false);

    /// <summary>Eviction with <c>dryRun</c>: every check runs, nothing changes.</summary>
    public void EvictPod(string namespaceName, string podName, long? gracePeriodSeconds, bool dryRun)
    {
        var pods = ResourceRegistry.ForType(typeof(V1Pod));
        lock (_gate)
        {
            var pod = (V1Pod?)Store(typeof(V1Pod)).Get(namespaceName, podName) ?? throw NotFound(pods, podName);
            if (!CanIgnoreBudgets(pod))
            {
                CheckBudgets(pod);
            }

            DeleteLocked(pods, namespaceName, podName, gracePeriodSeconds, null, null, dryRun);
            Deliver();
        }
    }

    /// <summary>As upstream: terminal, pending and already terminating pods are evicted without consulting budgets.</summary>
    private static bool CanIgnoreBudgets(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase is "Succeeded" or "Failed" or "Pending" or null;

    private void CheckBudgets(V1Pod pod)
    {
        var budgets = _disruptionBudgets.Covering(pod);
        if (budgets.Count == 0)
        {
            return;
        }

        if (budgets.Count > 1)
        {
            throw new ApiException(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }

        var budget = budgets[0];
        var status = budget.Status ?? new V1PodDisruptionBudgetStatus();
        var unhealthyPolicy = budget.Spec?.UnhealthyPodEvictionPolicy ?? "IfHealthyBudget";
        if (!DisruptionBudgets.IsHealthy(pod))
        {
            if (unhealthyPolicy == "AlwaysAllow" || (status.CurrentHealthy >= status.DesiredHealthy && status.DesiredHealthy > 0))
            {
                return;
            }
        }

        if (status.DisruptionsAllowed <= 0)
        {
            throw new ApiException(429, "TooManyRequests", EvictionRefusedMessage)
            {
                Causes =
                [
                    new ApiStatusCause(
                        "DisruptionBudget",
                        $"The disruption budget {budget.Metadata.Name} needs {status.DesiredHealthy} healthy pods and has {status.CurrentHealthy} currently"),
                ],
            };
        }
    }
}
