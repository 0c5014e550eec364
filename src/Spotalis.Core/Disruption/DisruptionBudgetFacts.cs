using Spotalis.Core.Nodes;

namespace Spotalis.Core.Disruption;

/// <summary>
/// What a PodDisruptionBudget (policy/v1) says about evictions right now: its selector and the status the
/// disruption controller keeps. A null <paramref name="Selector"/> selects no pod; an empty one selects every pod of
/// the namespace, as in policy/v1.
/// </summary>
/// <param name="DisruptionsAllowed">status.disruptionsAllowed: how many healthy pods may be evicted now.</param>
/// <param name="CurrentHealthy">status.currentHealthy.</param>
/// <param name="DesiredHealthy">status.desiredHealthy.</param>
/// <param name="AlwaysAllowUnhealthy">spec.unhealthyPodEvictionPolicy is AlwaysAllow (default IfHealthyBudget).</param>
public sealed record DisruptionBudgetFacts(
    string Namespace,
    string Name,
    IReadOnlyList<LabelSelectorRequirement>? Selector,
    int DisruptionsAllowed,
    int CurrentHealthy,
    int DesiredHealthy,
    bool AlwaysAllowUnhealthy = false)
{
    /// <summary>True when the budget's selector matches the labels (a null selector matches nothing).</summary>
    public bool Selects(IReadOnlyDictionary<string, string> labels) =>
        Selector is not null && Selector.All(r => r.Matches(labels));
}
