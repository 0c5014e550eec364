using Spotalis.Operator.Configuration;

namespace Spotalis.Operator.Tests.Configuration;

public class LabelSelectorTests
{
    [Theory]
    [InlineData("team in (a,b)", "team=a", true)]
    [InlineData("team in (a,b)", "team=c", false)]
    [InlineData("team in (a,b)", "", false)]
    [InlineData("team notin (a)", "", true)]
    [InlineData("team notin (a)", "team=a", false)]
    [InlineData("env=prod,team", "env=prod,team=x", true)]
    [InlineData("env=prod,team", "env=prod", false)]
    [InlineData("env!=prod", "env=dev", true)]
    [InlineData("!legacy", "legacy=yes", false)]
    [InlineData("", "anything=1", true)]
    public void Matches_like_kubectl_label_selectors(string selector, string labels, bool expected)
    {
        Assert.True(LabelSelector.TryParse(selector, out var parsed, out var error), error);
        var map = labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]);

        Assert.Equal(expected, parsed.Matches(map));
    }

    [Theory]
    [InlineData("team in ()")]
    [InlineData("team between (a,b)")]
    [InlineData("a b")]
    public void Rejects_malformed_selectors_with_a_message(string selector)
    {
        Assert.False(LabelSelector.TryParse(selector, out _, out var error));
        Assert.Contains("label selector", error, StringComparison.Ordinal);
    }
}
