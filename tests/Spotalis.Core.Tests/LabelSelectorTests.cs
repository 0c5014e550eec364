using Spotalis.Core.Nodes;

namespace Spotalis.Core.Tests;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["tier"] = "web", ["zone"] = "a" };

    [Theory]
    [InlineData("tier", LabelSelectorRequirement.In, new[] { "web", "api" }, true)]
    [InlineData("tier", LabelSelectorRequirement.In, new[] { "api" }, false)]
    [InlineData("missing", LabelSelectorRequirement.In, new[] { "web" }, false)]
    [InlineData("tier", LabelSelectorRequirement.NotIn, new[] { "api" }, true)]
    [InlineData("tier", LabelSelectorRequirement.NotIn, new[] { "web" }, false)]
    [InlineData("missing", LabelSelectorRequirement.NotIn, new[] { "web" }, true)]
    [InlineData("tier", LabelSelectorRequirement.Exists, new string[0], true)]
    [InlineData("missing", LabelSelectorRequirement.Exists, new string[0], false)]
    [InlineData("tier", LabelSelectorRequirement.DoesNotExist, new string[0], false)]
    [InlineData("missing", LabelSelectorRequirement.DoesNotExist, new string[0], true)]
    [InlineData("tier", "in", new[] { "web" }, false)]
    [InlineData("tier", "Gt", new[] { "1" }, false)]
    public void Requirements_follow_kubernetes_semantics(string key, string op, string[] values, bool expected)
    {
        Assert.Equal(expected, new LabelSelectorRequirement(key, op, values).Matches(Labels));
    }

    [Fact]
    public void Match_labels_must_all_be_equal()
    {
        Assert.True(new NodeSelectorTerm(new Dictionary<string, string> { ["tier"] = "web", ["zone"] = "a" }, []).Matches(Labels));
        Assert.False(new NodeSelectorTerm(new Dictionary<string, string> { ["tier"] = "web", ["zone"] = "b" }, []).Matches(Labels));
        Assert.False(NodeSelectorTerm.WithLabel("missing", "x").Matches(Labels));
    }

    [Fact]
    public void Labels_and_expressions_are_anded()
    {
        var term = new NodeSelectorTerm(new Dictionary<string, string> { ["tier"] = "web" }, [LabelSelectorRequirement.KeyIn("zone", "b")]);

        Assert.False(term.Matches(Labels));
    }

    [Fact]
    public void An_empty_term_matches_nothing()
    {
        var term = new NodeSelectorTerm(new Dictionary<string, string>(), []);

        Assert.True(term.IsEmpty);
        Assert.False(term.Matches(Labels));
    }

    [Fact]
    public void Terms_render_readably()
    {
        var term = new NodeSelectorTerm(
            new Dictionary<string, string> { ["tier"] = "web" },
            [LabelSelectorRequirement.KeyNotIn("zone", "b", "c"), LabelSelectorRequirement.KeyIn("x", "1", "2"), LabelSelectorRequirement.KeyDoesNotExist("y"), new LabelSelectorRequirement("n", "Gt", ["3"])]);

        Assert.Equal("tier=web, zone notin (b,c), x in (1,2), !y, n Gt (3)", term.ToString());
    }
}
