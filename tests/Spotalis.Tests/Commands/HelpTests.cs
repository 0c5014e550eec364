using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>The help a user reads, from the real executable: every command with examples, the common ones first.</summary>
public class HelpTests
{
    [Fact]
    public async Task Every_command_and_subcommand_has_an_examples_section_with_runnable_spotalis_lines()
    {
        var pending = new Queue<string[]>([[]]);
        var seen = 0;
        while (pending.Count > 0)
        {
            var path = pending.Dequeue();
            var (code, help, error) = await SpotalisProcess.RunAsync([.. path, "--help"]);
            Assert.True(code == 0, $"spotalis {string.Join(' ', path)} --help exited {code}: {error}");
            var examples = Section(help, "Examples:");
            Assert.True(examples.Count > 0, $"spotalis {string.Join(' ', path)} --help has no Examples section:\n{help}");
            Assert.Contains(examples, line => line.TrimStart().StartsWith("spotalis ", StringComparison.Ordinal));
            Assert.All(examples.Where(l => !l.TrimStart().StartsWith('#') && l.Trim().Length > 0), line =>
                Assert.Matches(@"^\s+(\S+=\S+ )?spotalis( |$)", line));
            foreach (var command in Section(help, "Commands:"))
            {
                pending.Enqueue([.. path, command.Trim().Split(' ')[0]]);
            }

            seen++;
        }

        Assert.True(seen >= 8, $"only {seen} commands found");
    }

    [Fact]
    public async Task Commands_are_listed_by_how_often_a_user_needs_them()
    {
        var (_, help, _) = await SpotalisProcess.RunAsync("--help");

        var commands = Section(help, "Commands:").Select(line => line.Trim().Split(' ')[0]).ToList();
        Assert.Equal(["demo", "status", "explain", "simulate", "run"], commands.Take(5));
    }

    [Fact]
    public async Task Demo_help_says_that_json_output_needs_a_duration()
    {
        var (_, help, _) = await SpotalisProcess.RunAsync("demo", "--help");

        Assert.Contains("json (needs --duration", help, StringComparison.Ordinal);
        Assert.Contains("spotalis demo --duration 2m -o json", help, StringComparison.Ordinal);
    }

    private static List<string> Section(string help, string title)
    {
        var lines = help.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        var start = Array.IndexOf(lines, title);
        return start < 0 ? [] : lines.Skip(start + 1).TakeWhile(line => line.Length == 0 || line.StartsWith(' ')).Where(l => l.Trim().Length > 0).ToList();
    }
}
