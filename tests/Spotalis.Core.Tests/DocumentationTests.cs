using System.Text.RegularExpressions;
using Spotalis.Core.Capacity;
using Spotalis.Core.Policy;

namespace Spotalis.Core.Tests;

/// <summary>Keeps docs/reference/labels-and-annotations.md true: every policy message it quotes is one the parser produces.</summary>
public sealed partial class DocumentationTests
{
    [Fact]
    public void Every_quoted_policy_message_is_produced_by_the_parser()
    {
        var messages = QuotedMessages().ToList();

        Assert.True(messages.Count >= 25, $"only {messages.Count} messages found");
        foreach (var message in messages)
        {
            var produced = Produce(message);
            Assert.True(produced.Contains(message), $"documented message not produced:\n  {message}\nproduced:\n  {string.Join("\n  ", produced)}");
        }
    }

    private static IEnumerable<string> QuotedMessages()
    {
        var document = File.ReadAllText(FindDocument());
        return MessagePattern().Matches(document).Select(match => match.Groups["message"].Value).Distinct();
    }

    private static HashSet<string> Produce(string message)
    {
        var match = KeyAndValue().Match(message);
        var key = match.Groups["key"].Value;
        var value = match.Groups["value"].Value;
        var entry = new Dictionary<string, string> { [key] = value };
        var enabled = new Dictionary<string, string> { [SpotalisKeys.Enabled] = "true" };
        var result = message switch
        {
            _ when message.Contains("(on the workload;", StringComparison.Ordinal) => PolicyParser.Parse(entry, null, null),
            _ when message.Contains("ignored because the workload label decides", StringComparison.Ordinal) => PolicyParser.Parse(enabled, null, entry),
            _ when message.Contains("(on the namespace;", StringComparison.Ordinal) => PolicyParser.Parse(null, null, entry),
            _ when message.EndsWith("ignored as a workload label", StringComparison.Ordinal) => PolicyParser.Parse(new Dictionary<string, string>(enabled) { [key] = value }, null, null),
            _ when message.EndsWith("ignored as a namespace label", StringComparison.Ordinal) => PolicyParser.Parse(enabled, null, entry),
            _ => PolicyParser.Parse(enabled, entry, null),
        };
        return [.. result.Errors.Concat(result.Warnings).Concat(result.Notes).Select(issue => issue.Message)];
    }

    private static string FindDocument()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "reference", "labels-and-annotations.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/reference/labels-and-annotations.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("`(?<message>spotalis\\.io/[a-z-]+: \"[^`]*; [^`]*)`")]
    private static partial Regex MessagePattern();

    [GeneratedRegex("^(?<key>spotalis\\.io/[a-z-]+): \"(?<value>[^\"]*)\"")]
    private static partial Regex KeyAndValue();
}
