using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Tests.Api;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front", ["spotalis.io/capacity-type"] = "spot" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web,tier=front", true)]
    [InlineData("app!=web", false)]
    [InlineData("app in (web, api)", true)]
    [InlineData("tier notin (front)", false)]
    [InlineData("spotalis.io/capacity-type", true)]
    [InlineData("!spotalis.io/capacity-type", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (web),!missing,tier", true)]
    public void Query_string_selectors_match_like_the_apiserver(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("app in web")]
    [InlineData("=web")]
    [InlineData("a b=c")]
    public void Malformed_selectors_are_BadRequest(string selector) =>
        Assert.Equal(400, Assert.Throws<ApiException>(() => LabelSelector.Parse(selector)).StatusCode);

    [Fact]
    public void Object_selectors_combine_matchLabels_and_expressions_and_null_selects_nothing()
    {
        var selector = LabelSelector.From(new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["front", "back"] }],
        });

        Assert.True(selector.Matches(Labels));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web" }));
        Assert.False(LabelSelector.From(null).Matches(Labels));
        Assert.True(LabelSelector.From(new V1LabelSelector()).Matches(Labels));
    }
}
