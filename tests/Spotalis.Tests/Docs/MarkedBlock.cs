namespace Spotalis.Tests.Docs;

/// <summary>
/// A fenced command block of a Markdown file with the test marker before it, for example
/// <c>&lt;!-- test: run until=25s --&gt;</c>. Modes: <c>run</c> (must exit 0), <c>exists</c> (only checks that the
/// files it names exist, for a command that cannot run inside the test suite). Options of <c>run</c>:
/// <c>until=DURATION</c> (a long-running command: still running then, it gets Ctrl-C and must stop with 0 or 130),
/// <c>background</c> (keeps running while the file's later blocks run, gets Ctrl-C at the end),
/// <c>ready=FILE</c> (with background: the later blocks wait until FILE exists), <c>timeout=DURATION</c>.
/// </summary>
public sealed record MarkedBlock(string File, int Line, string Mode, IReadOnlyDictionary<string, string> Options, string Text)
{
    public bool Background => Options.ContainsKey("background");

    public TimeSpan? Until => Options.TryGetValue("until", out var value) ? Duration(value) : null;

    public TimeSpan Timeout => Options.TryGetValue("timeout", out var value) ? Duration(value) : TimeSpan.FromMinutes(8);

    public string? Ready => Options.GetValueOrDefault("ready");

    public override string ToString() => $"{File}:{Line} ({Mode}{string.Concat(Options.Select(o => o.Value.Length == 0 ? $" {o.Key}" : $" {o.Key}={o.Value}"))})";

    private static TimeSpan Duration(string value) =>
        value.EndsWith('s') && int.TryParse(value[..^1], System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"'{value}' is not a duration in seconds such as 25s");
}
