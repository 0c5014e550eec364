using System.Text.RegularExpressions;

namespace Spotalis.Deploy.Tests;

/// <summary>Relative links of a Markdown file, resolved to absolute paths (anchors and external links skipped).</summary>
internal static partial class MarkdownLinks
{
    public static IEnumerable<(string Link, string Target)> RelativeLinks(string markdownFile)
    {
        var directory = Path.GetDirectoryName(markdownFile)!;
        foreach (Match match in Link().Matches(File.ReadAllText(markdownFile)))
        {
            var link = match.Groups[1].Value;
            if (link.Contains("://", StringComparison.Ordinal) || link.StartsWith('#') || link.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            var path = link.Split('#')[0];
            yield return (link, Path.GetFullPath(Path.Combine(directory, path)));
        }
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();
}
