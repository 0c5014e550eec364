namespace Spotalis.Core.Disruption;

/// <summary>
/// Would the Eviction API refuse (429) to evict a pod now? The rule the API server applies, read from the budgets'
/// status: a Ready pod needs <c>disruptionsAllowed</c> &gt; 0 on every budget that selects it; a pod that is not Ready
/// may go while the budget is healthy (<c>currentHealthy</c> &gt;= <c>desiredHealthy</c>, policy IfHealthyBudget) or
/// always (policy AlwaysAllow). The operator's state and <c>spotalis status</c> both judge BlockedByPdb with it.
/// </summary>
public static class DisruptionBudgetRule
{
    /// <summary>The first budget in the pod's namespace that would refuse its eviction, or null when none would.</summary>
    public static DisruptionBudgetFacts? Blocking(IEnumerable<DisruptionBudgetFacts> budgets, string podNamespace, IReadOnlyDictionary<string, string> podLabels, bool podReady)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(podLabels);
        foreach (var budget in budgets)
        {
            if (budget.Namespace != podNamespace || !budget.Selects(podLabels))
            {
                continue;
            }

            var refuses = podReady
                ? budget.DisruptionsAllowed <= 0
                : !budget.AlwaysAllowUnhealthy && budget.CurrentHealthy < budget.DesiredHealthy;
            if (refuses)
            {
                return budget;
            }
        }

        return null;
    }
}
