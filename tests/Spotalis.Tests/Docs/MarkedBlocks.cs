using System.Text.RegularExpressions;

namespace Spotalis.Tests.Docs;

/// <summary>Finds the blocks of a Markdown file marked for the docs test, and rejects markers it does not understand.</summary>
public static partial class MarkedBlocks
{
    public static readonly IReadOnlySet<string> Modes = new HashSet<string>(StringComparer.Ordinal) { "run", "exists" };

    public static readonly IReadOnlySet<string> RunOptions = new HashSet<string>(StringComparer.Ordinal) { "until", "background", "ready", "timeout" };

    public static IReadOnlyList<MarkedBlock> Read(string path, string displayName)
    {
        var lines = File.ReadAllLines(path);
        var blocks = new List<MarkedBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = Marker().Match(lines[i]);
            if (!marker.Success)
            {
                if (lines[i].TrimStart().StartsWith("<!-- test:", StringComparison.Ordinal))
                {
                    throw new FormatException($"{displayName}:{i + 1}: a test marker must be alone on its line: {lines[i].Trim()}");
                }

                continue;
            }

            var mode = marker.Groups["mode"].Value;
            if (!Modes.Contains(mode))
            {
                throw new FormatException($"{displayName}:{i + 1}: unknown test mode '{mode}' (known: {string.Join(", ", Modes)})");
            }

            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            if (mode == "run")
            {
                foreach (var word in marker.Groups["rest"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var equals = word.IndexOf('=', StringComparison.Ordinal);
                    var key = equals < 0 ? word : word[..equals];
                    if (!RunOptions.Contains(key))
                    {
                        throw new FormatException($"{displayName}:{i + 1}: unknown option '{key}' of 'run' (known: {string.Join(", ", RunOptions)})");
                    }

                    options[key] = equals < 0 ? string.Empty : word[(equals + 1)..];
                }
            }

            var fence = i + 1;
            while (fence < lines.Length && lines[fence].Trim().Length == 0)
            {
                fence++;
            }

            if (fence >= lines.Length || !lines[fence].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                throw new FormatException($"{displayName}:{i + 1}: a test marker must be followed by a fenced code block");
            }

            var indent = lines[fence].Length - lines[fence].TrimStart().Length;
            var body = new List<string>();
            var end = fence + 1;
            for (; end < lines.Length && !lines[end].TrimStart().StartsWith("```", StringComparison.Ordinal); end++)
            {
                body.Add(lines[end].Length >= indent ? lines[end][indent..] : lines[end].TrimStart());
            }

            blocks.Add(new MarkedBlock(displayName, fence + 1, mode, options, string.Join('\n', body)));
            i = end;
        }

        return blocks;
    }

    [GeneratedRegex(@"^\s*<!-- test: (?<mode>\S+)(?<rest>[^>]*?)\s*-->\s*$")]
    private static partial Regex Marker();
}
