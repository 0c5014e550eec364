using System.Globalization;
using Spotalis.Core.Timing;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Scenarios.Loading;

/// <summary>Reads the scenario's <c>operator</c> section: operator configuration keys a simulation honours, each checked for its kind.</summary>
internal static class OperatorSettingsReader
{
    public static OperatorSettings Read(YamlFields fields, YamlMappingNode root)
    {
        var node = YamlFields.Child(root, "operator");
        if (node is null)
        {
            return OperatorSettings.Defaults;
        }

        if (node is not YamlMappingNode map)
        {
            fields.Problem("operator", node, "must be a mapping of operator configuration keys (e.g. controllers: {fallbackAfter: 2m})");
            return OperatorSettings.Defaults;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Flatten(fields, map, string.Empty, values);
        return new OperatorSettings(values);
    }

    private static void Flatten(YamlFields fields, YamlMappingNode map, string prefix, Dictionary<string, string> values)
    {
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = prefix + ((keyNode as YamlScalarNode)?.Value ?? string.Empty);
            var path = "operator." + key;
            if (valueNode is YamlMappingNode nested)
            {
                Flatten(fields, nested, key + ".", values);
                continue;
            }

            if (!OperatorSettings.Known.TryGetValue(key, out var kind))
            {
                fields.Problem(path, keyNode, $"unknown operator setting '{key}' for a simulation (allowed: {string.Join(", ", OperatorSettings.Known.Keys)})");
                continue;
            }

            if (valueNode is not YamlScalarNode { Value: { } text })
            {
                fields.Problem(path, valueNode, "must be a single value");
                continue;
            }

            var valid = kind switch
            {
                SettingKind.Boolean => bool.TryParse(text, out _),
                SettingKind.Integer => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0,
                SettingKind.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0,
                SettingKind.Duration => GoDuration.TryParse(text, out var span) && span >= TimeSpan.Zero,
                _ => true,
            };
            if (!valid)
            {
                var expected = kind switch
                {
                    SettingKind.Boolean => "true or false",
                    SettingKind.Integer => "a whole number >= 0",
                    SettingKind.Number => "a number > 0",
                    SettingKind.Duration => "a Go-style duration such as 90s, 5m or 1h30m",
                    _ => "text",
                };
                fields.Problem(path, valueNode, $"'{text}' is not {expected}");
                continue;
            }

            values[key] = text;
        }
    }
}
