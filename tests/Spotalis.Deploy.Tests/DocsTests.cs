using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>The documentation stays navigable: indexed, with working links, and the chart README lists every value.</summary>
public sealed class DocsTests
{
    private static string Index => Path.Combine(RepoPaths.Docs, "README.md");

    [Fact]
    public void Index_links_every_document_under_docs()
    {
        var indexed = MarkdownLinks.RelativeLinks(Index).Select(l => l.Target).ToHashSet(StringComparer.Ordinal);
        var documents = Directory.GetFiles(RepoPaths.Docs, "*.md", SearchOption.AllDirectories).Where(d => d != Index);

        Assert.All(documents, d => Assert.True(indexed.Contains(d), $"{Path.GetRelativePath(RepoPaths.Root, d)} is not linked from docs/README.md"));
    }

    [Fact]
    public void Relative_links_resolve()
    {
        // Documents other helpers write are linked from the index before they land; only those may be missing.
        var planned = MarkdownLinks.RelativeLinks(Index).Select(l => l.Target).ToHashSet(StringComparer.Ordinal);
        var files = Directory.GetFiles(RepoPaths.Docs, "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(RepoPaths.Root, "SECURITY.md"))
            .Append(Path.Combine(RepoPaths.Chart, "README.md"));

        var broken = (from file in files
                      from link in MarkdownLinks.RelativeLinks(file)
                      where !File.Exists(link.Target) && !Directory.Exists(link.Target) && !planned.Contains(link.Target)
                      select $"{Path.GetRelativePath(RepoPaths.Root, file)}: {link.Link}").ToList();

        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void Chart_readme_lists_every_value()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Chart, "README.md"));
        var values = YamlValues.ParseOne(File.ReadAllText(Path.Combine(RepoPaths.Chart, "values.yaml")));

        var missing = ValuePaths(values, string.Empty).Where(p => !readme.Contains($"`{p}`", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, "values missing from deploy/helm/spotalis/README.md:\n" + string.Join("\n", missing));
    }

    /// <summary>Leaf value paths; Kubernetes objects passed through whole (affinity, resources, selectors) count as one value.</summary>
    private static IEnumerable<string> ValuePaths(JsonNode? node, string prefix)
    {
        string[] opaque = ["resources", "affinity", "nodeSelector", "tolerations", "imagePullSecrets", "serviceAccount.annotations",
            "serviceMonitor.labels", "grafanaDashboard.labels", "config.nodeClassifier.spotSelectors", "config.nodeClassifier.onDemandSelectors"];
        if (node is JsonObject obj && !opaque.Contains(prefix) && !prefix.EndsWith("Selector", StringComparison.Ordinal))
        {
            return obj.SelectMany(p => ValuePaths(p.Value, prefix.Length == 0 ? p.Key : $"{prefix}.{p.Key}"));
        }

        return [prefix];
    }
}
