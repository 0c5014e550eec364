using Spotalis.Migration;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>docs/reference/metrics.md lists every Go metric with the rewrite `spotalis migrate` applies.</summary>
public sealed class GoMetricsDocumentationTests
{
    [Fact]
    public void Every_Go_metric_and_its_replacement_is_documented()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "reference", "metrics.md"));
        foreach (var (metric, query) in PromQlRewriter.Table())
        {
            Assert.Contains($"| `{metric.GoName}` | `{query}` |", text, StringComparison.Ordinal);
        }
    }
}
