using Spotalis.Core.Disruption;
using Spotalis.Core.Nodes;

namespace Spotalis.Core.Tests;

/// <summary>Would the Eviction API refuse the next eviction? Read from PodDisruptionBudget status as the API server does.</summary>
public sealed class DisruptionBudgetRuleTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front" };

    private static DisruptionBudgetFacts Budget(int allowed, IReadOnlyList<LabelSelectorRequirement>? selector = null, string ns = "shop", int currentHealthy = 3, int desiredHealthy = 3,
        bool alwaysAllowUnhealthy = false) =>
        new(ns, "web-pdb", selector ?? [LabelSelectorRequirement.KeyIn("app", "web")], allowed, currentHealthy, desiredHealthy, alwaysAllowUnhealthy);

    [Fact]
    public void A_budget_with_no_disruption_allowed_blocks_a_Ready_pod_it_selects()
    {
        var budget = Budget(allowed: 0);

        Assert.Same(budget, DisruptionBudgetRule.Blocking([budget], "shop", Web, podReady: true));
    }

    [Fact]
    public void A_budget_that_allows_a_disruption_does_not_block()
    {
        Assert.Null(DisruptionBudgetRule.Blocking([Budget(allowed: 1)], "shop", Web, podReady: true));
    }

    [Fact]
    public void Budgets_of_other_namespaces_or_other_pods_do_not_block()
    {
        Assert.Null(DisruptionBudgetRule.Blocking([Budget(allowed: 0, ns: "other")], "shop", Web, podReady: true));
        Assert.Null(DisruptionBudgetRule.Blocking([Budget(allowed: 0, selector: [LabelSelectorRequirement.KeyIn("app", "api")])], "shop", Web, podReady: true));
        Assert.Null(DisruptionBudgetRule.Blocking([Budget(allowed: 0, selector: [LabelSelectorRequirement.KeyIn("app", "web"), LabelSelectorRequirement.KeyDoesNotExist("tier")])],
            "shop", Web, podReady: true));
    }

    [Fact]
    public void A_null_selector_selects_nothing_and_an_empty_one_every_pod_of_the_namespace()
    {
        Assert.Null(DisruptionBudgetRule.Blocking([new DisruptionBudgetFacts("shop", "none", null, 0, 3, 3)], "shop", Web, podReady: true));
        Assert.NotNull(DisruptionBudgetRule.Blocking([new DisruptionBudgetFacts("shop", "all", [], 0, 3, 3)], "shop", Web, podReady: true));
    }

    [Fact]
    public void A_pod_that_is_not_Ready_may_go_while_the_budget_is_healthy_or_always_under_AlwaysAllow()
    {
        Assert.Null(DisruptionBudgetRule.Blocking([Budget(allowed: 0, currentHealthy: 3, desiredHealthy: 3)], "shop", Web, podReady: false));
        Assert.NotNull(DisruptionBudgetRule.Blocking([Budget(allowed: 0, currentHealthy: 2, desiredHealthy: 3)], "shop", Web, podReady: false));
        Assert.Null(DisruptionBudgetRule.Blocking([Budget(allowed: 0, currentHealthy: 2, desiredHealthy: 3, alwaysAllowUnhealthy: true)], "shop", Web, podReady: false));
    }

    [Fact]
    public void The_first_blocking_budget_is_named_when_several_select_the_pod()
    {
        var allows = Budget(allowed: 1) with { Name = "allows" };
        var blocks = Budget(allowed: 0) with { Name = "blocks" };

        Assert.Equal("blocks", DisruptionBudgetRule.Blocking([allows, blocks], "shop", Web, podReady: true)?.Name);
    }
}
