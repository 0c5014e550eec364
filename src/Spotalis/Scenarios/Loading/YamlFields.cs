using System.Globalization;
using Spotalis.Core.Timing;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Scenarios.Loading;

/// <summary>
/// Typed reading of YAML mapping fields that never throws: each bad or missing value adds a
/// <see cref="ScenarioProblem"/> with its YAML path and line and yields null, so one pass reports every problem.
/// </summary>
internal sealed class YamlFields
{
    public List<ScenarioProblem> Problems { get; } = [];

    public Dictionary<string, string> ReadStringMap(YamlMappingNode parent, string key, string parentPath)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = Child(parent, key);
        if (node is null)
        {
            return result;
        }

        var path = Join(parentPath, key);
        if (node is not YamlMappingNode map)
        {
            Problem(path, node, "must be a mapping of names to text values");
            return result;
        }

        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value;
            if (string.IsNullOrEmpty(name) || v is not YamlScalarNode { Value: { } value })
            {
                Problem($"{path}.{name}", v, "must be a text value (quote numbers, e.g. \"70\")");
                continue;
            }

            result[name] = value;
        }

        return result;
    }

    /// <summary>
    /// The entries of a list that are mappings, each with its path (<c>list[i]</c>) and its keys checked against
    /// <paramref name="allowed"/>; any other entry is a problem ("must be a mapping " + <paramref name="expected"/>).
    /// </summary>
    public IEnumerable<(string Path, YamlMappingNode Map)> Entries(YamlSequenceNode items, string listPath, string[] allowed, string expected)
    {
        for (var i = 0; i < items.Children.Count; i++)
        {
            var path = $"{listPath}[{i}]";
            if (items.Children[i] is not YamlMappingNode map)
            {
                Problem(path, items.Children[i], "must be a mapping " + expected);
                continue;
            }

            CheckKeys(map, path, allowed);
            yield return (path, map);
        }
    }

    public void CheckKeys(YamlMappingNode map, string path, string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!allowed.Contains(name))
            {
                Problem(Join(path, name), key, $"unknown key '{name}' (allowed here: {string.Join(", ", allowed)})");
            }
        }
    }

    public static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public YamlSequenceNode? RequiredSequence(YamlMappingNode map, string key, string path)
    {
        var node = Child(map, key);
        if (node is YamlSequenceNode sequence)
        {
            if (sequence.Children.Count == 0 && key != "criteria")
            {
                Problem(Join(path, key), node, "must list at least one entry");
            }

            return sequence;
        }

        Problem(Join(path, key), node ?? map, node is null ? "is required (a list)" : "must be a list");
        return null;
    }

    public string? RequiredText(YamlMappingNode map, string key, string path)
    {
        var text = OptionalText(map, key, path);
        if (text is null && Child(map, key) is null)
        {
            Problem(Join(path, key), map, "is required");
        }

        return text;
    }

    public string? OptionalText(YamlMappingNode map, string key, string path)
    {
        var node = Child(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }

        Problem(Join(path, key), node, "must be a non-empty text value");
        return null;
    }

    public TimeSpan? RequiredDuration(YamlMappingNode map, string key, string path)
    {
        if (Child(map, key) is null)
        {
            Problem(Join(path, key), map, "is required (a Go-style duration such as 90s, 30m or 24h)");
            return null;
        }

        return OptionalDuration(map, key, path);
    }

    public TimeSpan? OptionalDuration(YamlMappingNode map, string key, string path)
    {
        var node = Child(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } && GoDuration.TryParse(text, out var value) && value >= TimeSpan.Zero)
        {
            return value;
        }

        Problem(Join(path, key), node, $"'{(node as YamlScalarNode)?.Value}' is not a Go-style duration such as 90s, 30m or 1h30m");
        return null;
    }

    public int? RequiredInt(YamlMappingNode map, string key, string path, int min, int max)
    {
        if (Child(map, key) is null)
        {
            Problem(Join(path, key), map, $"is required (a whole number from {min} to {max})");
            return null;
        }

        return OptionalInt(map, key, path, min, max);
    }

    public int? OptionalInt(YamlMappingNode map, string key, string path, int min, int max)
    {
        var node = Child(map, key);
        return node is null ? null : ParseInt(node, Join(path, key), min, max);
    }

    public int? ParseInt(YamlNode node, string path, int min, int max)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Problem(path, node, $"{value} is out of range (from {min} to {max})");
            return null;
        }

        Problem(path, node, $"'{(node as YamlScalarNode)?.Value}' is not a whole number");
        return null;
    }

    public double? RequiredNumber(YamlMappingNode map, string key, string path, double min, double max)
    {
        if (Child(map, key) is null)
        {
            Problem(Join(path, key), map, "is required (a number)");
            return null;
        }

        return OptionalNumber(map, key, path, min, max);
    }

    public double? OptionalNumber(YamlMappingNode map, string key, string path, double min, double max)
    {
        var node = Child(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Problem(Join(path, key), node, $"{text} is out of range (from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)})");
            return null;
        }

        Problem(Join(path, key), node, $"'{(node as YamlScalarNode)?.Value}' is not a number");
        return null;
    }

    public void Problem(string path, YamlNode? node, string message) =>
        Problems.Add(new ScenarioProblem(path, node is null ? 0 : (int)node.Start.Line, message));
}
