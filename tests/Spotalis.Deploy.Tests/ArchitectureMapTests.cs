using System.Text.RegularExpressions;

namespace Spotalis.Deploy.Tests;

/// <summary>
/// The "Where does X live" table of docs/explanation/architecture.md sends a newcomer to one file per rule: every
/// repository path it names must exist, so a move or a rename that forgets the table fails here.
/// </summary>
public sealed partial class ArchitectureMapTests
{
    private const string Heading = "## Where does X live";

    private static string Architecture => Path.Combine(RepoPaths.Docs, "explanation", "architecture.md");

    [Fact]
    public void Every_path_in_the_where_does_x_live_table_exists()
    {
        var paths = TablePaths();

        var missing = paths.Where(p => !File.Exists(Path.Combine(RepoPaths.Root, p)) && !Directory.Exists(Path.Combine(RepoPaths.Root, p))).ToList();

        Assert.True(missing.Count == 0, $"{Heading} in docs/explanation/architecture.md names paths that do not exist:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void The_table_names_a_file_for_every_row()
    {
        var rows = TableRows();

        Assert.True(rows.Count >= 20, $"expected the table to cover the rules of the code base, found {rows.Count} rows");
        Assert.All(rows, row => Assert.True(RepoPath().IsMatch(row), $"row names no repository path: {row}"));
    }

    private static List<string> TablePaths() =>
        [.. TableRows().SelectMany(row => RepoPath().Matches(row).Select(m => m.Groups["path"].Value)).Distinct(StringComparer.Ordinal)];

    private static List<string> TableRows()
    {
        var lines = File.ReadAllLines(Architecture);
        var start = Array.FindIndex(lines, l => l.StartsWith(Heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/explanation/architecture.md has no section '{Heading}'");
        return [.. lines.Skip(start + 1)
            .SkipWhile(l => !l.StartsWith('|'))
            .TakeWhile(l => l.StartsWith('|'))
            .Skip(2)];
    }

    // A code span holding a path below one of the repository's top folders, e.g. `src/Spotalis.Core/Policy/PolicyParser.cs`.
    [GeneratedRegex(@"`(?<path>(?:src|tests|bench|deploy|docs|scripts|examples)/[^`\s]+)`")]
    private static partial Regex RepoPath();
}
