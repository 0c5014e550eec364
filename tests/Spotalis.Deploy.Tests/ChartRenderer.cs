using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Spotalis.Deploy.Tests;

/// <summary>
/// Renders the Spotalis chart without a helm binary (none exists in these registries). It implements only the
/// small subset of Go templates the chart is allowed to use — <c>if</c>/<c>else</c>/<c>end</c> with <c>eq</c>,
/// <c>ne</c>, <c>not</c>, <c>and</c>, <c>or</c> and parentheses; <c>.Values</c> (and <c>.Values.AsMap</c>),
/// <c>.Release</c>, <c>.Chart</c> and <c>.Files.Get</c>; the pipes <c>quote</c>, <c>toYaml</c>, <c>nindent</c> and
/// <c>indent</c>; <c>dig</c> (safe lookup of the Go chart's optional values) and <c>fail</c> (thrown as
/// <see cref="ChartFailedException"/>); <c>{{-</c>/<c>-}}</c> whitespace trimming —
/// and fails loudly on anything else, which keeps the templates plain. A missing value is an error here
/// (Helm would print nothing), so typos in templates cannot hide.
/// </summary>
internal sealed class ChartRenderer
{
    private static readonly ISerializer YamlWriter = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    private readonly string _chartDirectory;
    private readonly JsonObject _scope;

    public ChartRenderer(string chartDirectory, string releaseName, string releaseNamespace, JsonObject? valueOverrides = null)
    {
        _chartDirectory = chartDirectory;
        var values = (JsonObject)(YamlValues.ParseOne(File.ReadAllText(Path.Combine(chartDirectory, "values.yaml"))) ?? new JsonObject());
        if (valueOverrides is not null)
        {
            Merge(values, valueOverrides);
        }

        var chart = (JsonObject)YamlValues.ParseOne(File.ReadAllText(Path.Combine(chartDirectory, "Chart.yaml")))!;
        Values = values;
        _scope = new JsonObject
        {
            [nameof(Values)] = values.DeepClone(),
            ["Release"] = new JsonObject { ["Name"] = releaseName, ["Namespace"] = releaseNamespace, ["Service"] = "Helm" },
            ["Chart"] = new JsonObject
            {
                ["Name"] = chart["name"]!.DeepClone(),
                ["Version"] = chart["version"]!.DeepClone(),
                ["AppVersion"] = chart["appVersion"]!.DeepClone(),
            },
        };
    }

    /// <summary>The effective values (values.yaml merged with the overrides).</summary>
    public JsonObject Values { get; }

    /// <summary>Every manifest the chart renders, in template file order (NOTES.txt and partials excluded).</summary>
    public IReadOnlyList<JsonObject> RenderManifests()
    {
        var templates = Directory.GetFiles(Path.Combine(_chartDirectory, "templates"), "*.yaml").Order(StringComparer.Ordinal);
        var manifests = new List<JsonObject>();
        foreach (var template in templates)
        {
            var text = RenderTemplate(Path.GetFileName(template), File.ReadAllText(template));
            try
            {
                manifests.AddRange(YamlValues.ParseAll(text).Cast<JsonObject>());
            }
            catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidCastException)
            {
                throw new InvalidOperationException($"{Path.GetFileName(template)} does not render to valid YAML: {e.Message}\n{text}", e);
            }
        }

        return manifests;
    }

    public string RenderTemplate(string name, string template)
    {
        var output = new StringBuilder();
        var branches = new Stack<(bool Active, bool Taken)>();
        bool Active() => branches.Count == 0 || branches.Peek().Active;

        foreach (var token in Tokenize(template))
        {
            if (!token.IsAction)
            {
                if (Active())
                {
                    output.Append(token.Text);
                }

                continue;
            }

            var action = token.Text;
            if (action.StartsWith("/*", StringComparison.Ordinal))
            {
                continue;
            }

            if (action.StartsWith("if ", StringComparison.Ordinal))
            {
                var parentActive = Active();
                var condition = parentActive && IsTrue(Evaluate(name, action[3..], allowMissing: true));
                branches.Push((parentActive && condition, condition || !parentActive));
            }
            else if (action == "else")
            {
                var (_, taken) = Pop(name, branches, "else");
                var parentActive = Active();
                branches.Push((parentActive && !taken, true));
            }
            else if (action == "end")
            {
                Pop(name, branches, "end");
            }
            else if (Active())
            {
                output.Append(Format(name, action, Evaluate(name, action, allowMissing: false)));
            }
        }

        if (branches.Count != 0)
        {
            throw new NotSupportedException($"{name}: {branches.Count} unclosed if block(s)");
        }

        return output.ToString();
    }

    private static (bool, bool) Pop(string name, Stack<(bool Active, bool Taken)> branches, string keyword) =>
        branches.Count > 0 ? branches.Pop() : throw new NotSupportedException($"{name}: '{keyword}' without 'if'");

    private sealed record Token(bool IsAction, string Text);

    private static List<Token> Tokenize(string template)
    {
        var tokens = new List<Token>();
        var position = 0;
        var trimNext = false;
        while (position < template.Length)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            var text = open < 0 ? template[position..] : template[position..open];
            if (trimNext)
            {
                text = text.TrimStart();
            }

            if (open < 0)
            {
                tokens.Add(new Token(false, text));
                break;
            }

            var close = template.IndexOf("}}", open, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new NotSupportedException($"unclosed action at offset {open}");
            }

            var inner = template[(open + 2)..close];
            if (inner.StartsWith("- ", StringComparison.Ordinal))
            {
                text = text.TrimEnd();
                inner = inner[2..];
            }

            trimNext = inner.EndsWith(" -", StringComparison.Ordinal);
            if (trimNext)
            {
                inner = inner[..^2];
            }

            tokens.Add(new Token(false, text));
            tokens.Add(new Token(true, inner.Trim()));
            position = close + 2;
        }

        return tokens;
    }

    private JsonNode? Evaluate(string name, string pipeline, bool allowMissing)
    {
        JsonNode? value = null;
        var first = true;
        foreach (var command in SplitOutsideQuotes(pipeline, '|'))
        {
            var words = SplitOutsideQuotes(command.Trim(), ' ').Where(w => w.Length > 0).ToList();
            if (words.Count == 0)
            {
                throw new NotSupportedException($"{name}: empty command in '{pipeline}'");
            }

            var arguments = words.Skip(1).Select(w => Term(name, w, allowMissing)).ToList();
            if (!first)
            {
                arguments.Add(value);
            }

            value = words[0] switch
            {
                "eq" when arguments.Count == 2 => JsonValue.Create(JsonNode.DeepEquals(arguments[0], arguments[1])),
                "ne" when arguments.Count == 2 => JsonValue.Create(!JsonNode.DeepEquals(arguments[0], arguments[1])),
                "not" when arguments.Count == 1 => JsonValue.Create(!IsTrue(arguments[0])),
                "quote" when arguments.Count == 1 => JsonValue.Create(Quote(Text(name, pipeline, arguments[0]))),
                "toYaml" when arguments.Count == 1 => JsonValue.Create(ToYaml(arguments[0])),
                "nindent" when arguments.Count == 2 => JsonValue.Create("\n" + Indent(arguments[0], Text(name, pipeline, arguments[1]))),
                "indent" when arguments.Count == 2 => JsonValue.Create(Indent(arguments[0], Text(name, pipeline, arguments[1]))),
                "and" when arguments.Count >= 2 => arguments.FirstOrDefault(a => !IsTrue(a), arguments[^1])?.DeepClone(),
                "or" when arguments.Count >= 2 => arguments.FirstOrDefault(IsTrue, arguments[^1])?.DeepClone(),
                "dig" when arguments.Count >= 3 => Dig(name, pipeline, arguments),
                "fail" when arguments.Count == 1 => throw new ChartFailedException(Text(name, pipeline, arguments[0])),
                ".Files.Get" when arguments.Count == 1 => JsonValue.Create(File.ReadAllText(Path.Combine(_chartDirectory, Text(name, pipeline, arguments[0])))),
                _ when first && words.Count == 1 => Term(name, words[0], allowMissing),
                _ => throw new NotSupportedException($"{name}: '{command.Trim()}' in '{{{{ {pipeline} }}}}' is outside the template subset this chart may use"),
            };
            first = false;
        }

        return value;
    }

    private JsonNode? Term(string name, string word, bool allowMissing)
    {
        if (word.StartsWith('"'))
        {
            return JsonValue.Create(JsonSerializer.Deserialize<string>(word));
        }

        if (long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        if (word.StartsWith('(') && word.EndsWith(')'))
        {
            return Evaluate(name, word[1..^1], allowMissing);
        }

        if (word is "true" or "false")
        {
            return JsonValue.Create(word == "true");
        }

        if (word == ".Values.AsMap")
        {
            word = ".Values";
        }

        if (!word.StartsWith('.') || word == ".Files.Get")
        {
            throw new NotSupportedException($"{name}: '{word}' is outside the template subset this chart may use");
        }

        JsonNode? node = _scope;
        foreach (var part in word[1..].Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node))
            {
                return allowMissing ? null : throw new KeyNotFoundException($"{name}: '{word}' does not exist in values.yaml/release/chart");
            }
        }

        return node;
    }

    private static JsonNode? Dig(string name, string pipeline, List<JsonNode?> arguments)
    {
        if (arguments[^1] is not JsonObject map)
        {
            throw new NotSupportedException($"{name}: dig in '{pipeline}' needs a map as its last argument");
        }

        JsonNode? node = map;
        foreach (var key in arguments.Take(arguments.Count - 2))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(Text(name, pipeline, key), out node) || node is null)
            {
                return arguments[^2]?.DeepClone();
            }
        }

        return node?.DeepClone();
    }

    private static string Format(string name, string action, JsonNode? value) => value switch
    {
        null => throw new InvalidOperationException($"{name}: '{{{{ {action} }}}}' is null"),
        JsonValue v => Text(name, action, v),
        _ => throw new NotSupportedException($"{name}: '{{{{ {action} }}}}' prints a map or list; pipe it through toYaml"),
    };

    private static string Text(string name, string action, JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        null => string.Empty,
        _ => throw new NotSupportedException($"{name}: '{action}' needs a scalar, got {value.ToJsonString()}"),
    };

    private static bool IsTrue(JsonNode? value) => value switch
    {
        null => false,
        JsonObject o => o.Count > 0,
        JsonArray a => a.Count > 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.False => false,
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            JsonValueKind.Number => v.GetValue<double>() != 0,
            _ => true,
        },
        _ => true,
    };

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Indent(JsonNode? width, string text)
    {
        var pad = new string(' ', (int)width!.GetValue<long>());
        return string.Join('\n', text.Split('\n').Select(line => pad + line));
    }

    private static string ToYaml(JsonNode? value) => YamlWriter.Serialize(ToPlain(value)).TrimEnd('\n', '\r');

    private static object? ToPlain(JsonNode? value) => value switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => v.TryGetValue<long>(out var integer) ? integer : v.GetValue<double>(),
        },
        _ => throw new NotSupportedException(value.GetType().Name),
    };

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                quoted = !quoted;
            }

            depth += quoted ? 0 : c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == separator && !quoted && depth == 0)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    private static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}

/// <summary>The chart's own <c>fail</c>: helm install would stop with this message.</summary>
internal sealed class ChartFailedException(string message) : Exception(message);
