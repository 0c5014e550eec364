using Spotalis.Operator.Configuration;

namespace Spotalis.Operator.Tests.Configuration;

public class ConfigurationDocsTests
{
    [Fact]
    public void The_configuration_reference_lists_exactly_the_keys_of_the_code()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "reference", "configuration.md");
        var text = File.ReadAllText(path);
        var table = ConfigurationReference.MarkdownTable();
        var start = text.IndexOf(ConfigurationReference.BeginMarker, StringComparison.Ordinal);
        var end = text.IndexOf(ConfigurationReference.EndMarker, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} lacks the generated-table markers");
        var documented = text[(start + ConfigurationReference.BeginMarker.Length)..end].Trim('\n');

        if (Environment.GetEnvironmentVariable("SPOTALIS_UPDATE_DOCS") == "1" && documented != table.TrimEnd('\n'))
        {
            File.WriteAllText(path, text[..(start + ConfigurationReference.BeginMarker.Length)] + "\n" + table + text[end..]);
            return;
        }

        Assert.Equal(table.TrimEnd('\n'), documented);
    }

    [Fact]
    public void The_configuration_reference_lists_every_Go_spelling_of_the_code()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "reference", "configuration.md");
        var text = File.ReadAllText(path);
        var table = ConfigurationReference.GoSpellingsTable();
        var start = text.IndexOf(ConfigurationReference.GoBeginMarker, StringComparison.Ordinal);
        var end = text.IndexOf(ConfigurationReference.GoEndMarker, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} lacks the generated Go-spellings markers");
        var documented = text[(start + ConfigurationReference.GoBeginMarker.Length)..end].Trim('\n');

        if (Environment.GetEnvironmentVariable("SPOTALIS_UPDATE_DOCS") == "1" && documented != table.TrimEnd('\n'))
        {
            File.WriteAllText(path, text[..(start + ConfigurationReference.GoBeginMarker.Length)] + "\n" + table + text[end..]);
            return;
        }

        Assert.Equal(table.TrimEnd('\n'), documented);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Spotalis.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
