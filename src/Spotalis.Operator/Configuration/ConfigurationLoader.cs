using Spotalis.Core.Nodes;
using Spotalis.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Operator.Configuration;

/// <summary>
/// Builds a <see cref="SpotalisConfig"/> from built-in defaults, then the YAML file, then <c>SPOTALIS_*</c>
/// environment variables (highest precedence), and validates the result. Every problem found is reported in one
/// <see cref="ConfigurationException"/> so that an operator fixes them all in one go.
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>Loads from an optional YAML file and the process environment.</summary>
    public static SpotalisConfig Load(string? configPath) =>
        Load(configPath, EnvironmentVariables());

    public static SpotalisConfig Load(string? configPath, IReadOnlyDictionary<string, string> environment)
    {
        string? yaml = null;
        if (!string.IsNullOrWhiteSpace(configPath))
        {
            try
            {
                yaml = File.ReadAllText(configPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"cannot read config file '{configPath}': {e.Message}");
            }
        }

        return Parse(yaml, environment, configPath ?? "config");
    }

    /// <summary>Parses YAML text (null = no file) and applies the environment overrides.</summary>
    public static SpotalisConfig Parse(string? yaml, IReadOnlyDictionary<string, string> environment, string source = "config")
    {
        var problems = new List<string>();
        var notices = new List<string>();
        var config = SpotalisConfig.Default;
        if (!string.IsNullOrWhiteSpace(yaml))
        {
            var settings = new List<Setting>();
            ReadYaml(yaml, source, settings, problems, notices);
            config = ApplyLayer(config, settings, problems, environment: false);
        }

        var environmentSettings = new List<Setting>();
        ReadEnvironment(environment, environmentSettings, problems, notices);
        config = ApplyLayer(config, environmentSettings, problems, environment: true);

        problems.AddRange(Validate(config));
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return notices.Count > 0 ? config with { Notices = notices.Distinct(StringComparer.Ordinal).ToArray() } : config;
    }

    /// <summary>
    /// Translates a configuration file (this project's keys, the Go tree, or a mix) into this project's spelling:
    /// the YAML to write instead, the notices the operator would log, and the problems that would stop it.
    /// </summary>
    public static ConfigurationTranslation Translate(string yaml, string source = "config")
    {
        var problems = new List<string>();
        var notices = new List<string>();
        var settings = new List<Setting>();
        ReadYaml(yaml, source, settings, problems, notices);
        var config = ApplyLayer(SpotalisConfig.Default, settings, problems, environment: false);
        problems.AddRange(Validate(config));

        var root = new YamlMappingNode();
        foreach (var setting in settings.GroupBy(s => s.Target, StringComparer.OrdinalIgnoreCase).Select(g => g.Last()))
        {
            var key = ConfigurationKeys.Find(setting.Target);
            var path = key?.Path ?? setting.Target;
            var parts = path.Split('.');
            var parent = root;
            foreach (var part in parts[..^1])
            {
                if (!parent.Children.TryGetValue(new YamlScalarNode(part), out var child))
                {
                    child = new YamlMappingNode();
                    parent.Add(part, child);
                }

                parent = (YamlMappingNode)child;
            }

            parent.Children[new YamlScalarNode(parts[^1])] = setting.Node ?? new YamlScalarNode(setting.Value.Trim());
        }

        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString().Replace("...\n", "", StringComparison.Ordinal).TrimEnd() + "\n";
        return new ConfigurationTranslation(problems.Count == 0 ? config : null, root.Children.Count == 0 ? "{}\n" : text,
            notices.Distinct(StringComparer.Ordinal).ToArray(), problems,
            settings.Where(s => s.Source != (ConfigurationKeys.Find(s.Target)?.Path ?? s.Target)).Select(s => s.Source).Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>The closest known name to an unknown one, for a "did you mean" hint; null when nothing is close.</summary>
    public static string? Suggest(string unknown, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(unknown);
        ArgumentNullException.ThrowIfNull(known);
        var limit = Math.Max(2, unknown.Length / 3);
        var best = known.Where(k => Math.Abs(k.Length - unknown.Length) <= limit)
            .Select(k => (Name: k, Distance: EditDistance.Between(unknown.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
        if (best.Name is not null && best.Distance <= limit)
        {
            return best.Name;
        }

        // Extra words around a known name (SPOTALIS_OPERATOR_LOGLEVEL): suggest the longest known name inside it.
        var bare = Normalize(unknown);
        return known.Select(k => (Name: k, Bare: Normalize(k))).Where(k => k.Bare.Length >= 6 && bare.Contains(k.Bare, StringComparison.Ordinal))
            .OrderByDescending(k => k.Bare.Length).ThenBy(k => k.Name, StringComparer.Ordinal).Select(k => k.Name).FirstOrDefault();
    }

    private static string Normalize(string name)
    {
        var bare = name.Replace("_", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).ToLowerInvariant();
        return bare.StartsWith("spotalis", StringComparison.Ordinal) ? bare["spotalis".Length..] : bare;
    }

    /// <summary>Every YAML path this loader accepts: this project's keys and the Go tree.</summary>
    public static IEnumerable<string> KnownYamlPaths() =>
        ConfigurationKeys.All.Select(k => k.Path)
            .Concat(ConfigurationKeys.ListKeys.Select(k => k.Path))
            .Concat(GoSpellings.All.Where(s => !s.IsEnvironment).Select(s => s.Name))
            .Concat(GoSpellings.SelectorLists.Keys)
            .Append(GoSpellings.WatchNamespacesPath);

    /// <summary>Every environment variable this loader accepts: this project's and the Go release's.</summary>
    public static IEnumerable<string> KnownEnvironmentVariables() =>
        ConfigurationKeys.All.Select(k => k.EnvironmentVariable).OfType<string>()
            .Concat(GoSpellings.All.Where(s => s.IsEnvironment).Select(s => s.Name));

    /// <summary>Cross-key checks that no single key can make (see <see cref="SettingsValidator"/>).</summary>
    public static IReadOnlyList<string> Validate(SpotalisConfig config) => SettingsValidator.Validate(config);

    private static Dictionary<string, string> EnvironmentVariables()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value &&
                (name.StartsWith("SPOTALIS_", StringComparison.Ordinal) || GoSpellings.UnprefixedEnvironment.Contains(name)))
            {
                result[name] = value;
            }
        }

        return result;
    }

    /// <summary>
    /// Applies one layer (the file, or the environment). Two spellings of one key in the same layer must agree;
    /// a later layer overriding an earlier one is the normal precedence.
    /// </summary>
    private static SpotalisConfig ApplyLayer(SpotalisConfig config, List<Setting> settings, List<string> problems, bool environment)
    {
        foreach (var group in settings.GroupBy(s => s.Target, StringComparer.OrdinalIgnoreCase))
        {
            var spellings = group.DistinctBy(s => s.Source, StringComparer.Ordinal).ToList();
            for (var i = 1; i < spellings.Count; i++)
            {
                if (!SameEffect(group.Key, spellings[0].Value, spellings[i].Value))
                {
                    problems.Add($"{spellings[0].Source} ('{spellings[0].Value.Trim()}') and {spellings[i].Source} ('{spellings[i].Value.Trim()}') both set {group.Key}, differently; keep one of them");
                }
            }
        }

        foreach (var setting in settings)
        {
            if (setting.Terms is { } terms)
            {
                config = setting.Target.EndsWith("spotSelectors", StringComparison.OrdinalIgnoreCase)
                    ? config with { NodeClassifier = config.NodeClassifier with { SpotSelectors = terms } }
                    : config with { NodeClassifier = config.NodeClassifier with { OnDemandSelectors = terms } };
                continue;
            }

            var key = ConfigurationKeys.Find(setting.Target)!;
            var result = key.Apply(config, setting.Value);
            if (result.Config is null)
            {
                problems.Add(environment ? $"{setting.Source} (env): {result.Error}" : $"{setting.Source}: {result.Error}");
            }
            else
            {
                config = result.Config;
            }
        }

        return config;
    }

    private static bool SameEffect(string target, string a, string b)
    {
        var key = ConfigurationKeys.Find(target);
        if (key is null)
        {
            // Selector lists: two non-empty spellings in one file are a conflict.
            return string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b);
        }

        var first = key.Apply(SpotalisConfig.Default, a).Config;
        var second = key.Apply(SpotalisConfig.Default, b).Config;
        return first is null || second is null || first == second;
    }

    private static void ReadEnvironment(IReadOnlyDictionary<string, string> environment, List<Setting> settings, List<string> problems, List<string> notices)
    {
        var serviceLinks = new List<string>();
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (ConfigurationKeys.FindByEnvironment(name) is { } key)
            {
                if (name.EndsWith("_PORT", StringComparison.Ordinal) && ServiceLink.IsServiceLinkValue(value))
                {
                    serviceLinks.Add(name);
                    continue;
                }

                settings.Add(new Setting(key.Path, value, name));
            }
            else if (GoSpellings.FindEnvironment(name) is { } spelling)
            {
                Translate(spelling, value, name, settings, problems, notices, environment: true);
            }
            else if (name.StartsWith("SPOTALIS_", StringComparison.Ordinal))
            {
                if (ServiceLink.IsServiceLink(name, value))
                {
                    serviceLinks.Add(name);
                    continue;
                }

                var suggestion = Suggest(name, KnownEnvironmentVariables());
                problems.Add($"{name} (env): unknown variable{(suggestion is null ? "" : $"; did you mean {suggestion}?")} (every SPOTALIS_* variable must be a configuration key)");
            }
        }

        if (serviceLinks.Count > 0)
        {
            notices.Add($"ignored {serviceLinks.Count} Kubernetes service-link variable(s) ({string.Join(", ", serviceLinks.Take(3))}{(serviceLinks.Count > 3 ? ", ..." : "")}); set enableServiceLinks: false on the pod to drop them");
        }
    }

    private static void Translate(GoSpelling spelling, string value, string source, List<Setting> settings, List<string> problems, List<string> notices, bool environment)
    {
        notices.Add(GoSpellings.DeprecationLine(spelling));
        var translation = spelling.Translate(value);
        if (translation.Error is { } error)
        {
            problems.Add(environment ? $"{source} (env): {error}" : error.StartsWith(source, StringComparison.Ordinal) ? error : $"{source}: {error}");
            return;
        }

        if (translation.Note is { } note)
        {
            notices.Add(note);
        }

        foreach (var (target, text) in translation.Assignments)
        {
            settings.Add(new Setting(target, text, source));
        }
    }

    private static void ReadYaml(string yaml, string source, List<Setting> settings, List<string> problems, List<string> notices)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            problems.Add($"{source}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
            return;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or InsufficientExecutionStackException)
        {
            // YamlDotNet's scanner throws these on some malformed input instead of a YamlException.
            problems.Add($"{source}: not valid YAML: {e.Message}");
            return;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add($"{source}: the top level must be a mapping of keys");
            return;
        }

        ReadMapping(root, "", settings, problems, notices);

        // Go required a global disruption window's schedule and duration together.
        var goSchedule = settings.FirstOrDefault(s => s.Source == "operator.disruptionWindow.schedule" && !string.IsNullOrWhiteSpace(s.Value));
        if (goSchedule is not null && !settings.Any(s => s.Source == "operator.disruptionWindow.duration"))
        {
            problems.Add("operator.disruptionWindow.schedule is set without operator.disruptionWindow.duration; the Go release needs both or neither (add a duration such as 2h)");
        }
    }

    private static void ReadMapping(YamlMappingNode mapping, string prefix, List<Setting> settings, List<string> problems, List<string> notices)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name })
            {
                problems.Add($"{(prefix.Length > 0 ? prefix.TrimEnd('.') : "top level")}: a key must be a plain string, found a {keyNode.NodeType}");
                continue;
            }

            var path = prefix + name;
            if (string.Equals(path, ConfigurationKeys.SpotSelectorsPath, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(path, ConfigurationKeys.OnDemandSelectorsPath, StringComparison.OrdinalIgnoreCase))
            {
                var terms = SelectorTermsYaml.Parse(valueNode, path, problems);
                var target = path.EndsWith("spotSelectors", StringComparison.OrdinalIgnoreCase) ? ConfigurationKeys.SpotSelectorsPath : ConfigurationKeys.OnDemandSelectorsPath;
                settings.Add(new Setting(target, terms.Count == 0 ? "" : "terms", path, terms) { Node = valueNode });
                continue;
            }

            if (GoSpellings.SelectorLists.TryGetValue(path, out var selectorTarget))
            {
                notices.Add($"config key {path} is the Go Spotalis spelling; use {selectorTarget} (its terms are added to nodeClassifier.preset's own)");
                var terms = SelectorTermsYaml.Parse(valueNode, path, problems);
                settings.Add(new Setting(selectorTarget, terms.Count == 0 ? "" : "terms", path, terms) { Node = valueNode });
                continue;
            }

            if (string.Equals(path, GoSpellings.WatchNamespacesPath, StringComparison.OrdinalIgnoreCase))
            {
                ReadWatchNamespaces(valueNode, problems, notices);
                continue;
            }

            switch (valueNode)
            {
                case YamlMappingNode child:
                    if (ConfigurationKeys.Find(path) is not null || GoSpellings.FindYaml(path) is not null)
                    {
                        problems.Add($"{path}: expected a single value, found a mapping");
                    }
                    else if (!ConfigurationKeys.All.Any(k => k.Path.StartsWith(path + ".", StringComparison.OrdinalIgnoreCase)) && !GoSpellings.IsYamlSection(path))
                    {
                        problems.Add(UnknownKey(path));
                    }
                    else
                    {
                        ReadMapping(child, path + ".", settings, problems, notices);
                    }

                    break;
                case YamlScalarNode scalar:
                    if (ConfigurationKeys.Find(path) is { } key)
                    {
                        settings.Add(new Setting(key.Path, scalar.Value ?? "", key.Path));
                    }
                    else if (GoSpellings.FindYaml(path) is { } spelling)
                    {
                        Translate(spelling, scalar.Value ?? "", spelling.Name, settings, problems, notices, environment: false);
                    }
                    else
                    {
                        problems.Add(UnknownKey(path));
                    }

                    break;
                default:
                    problems.Add($"{path}: expected a single value, found a list");
                    break;
            }
        }
    }

    private static void ReadWatchNamespaces(YamlNode node, List<string> problems, List<string> notices)
    {
        var names = node switch
        {
            YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode) => sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList(),
            YamlScalarNode { Value: null or "" } => [],
            _ => null,
        };
        if (names is null)
        {
            problems.Add($"{GoSpellings.WatchNamespacesPath}: expected a list of namespace names");
            return;
        }

        notices.Add(names.Count == 0
            ? $"config key {GoSpellings.WatchNamespacesPath} is a Go chart value; remove it (use namespace or namespaceSelector to limit namespaces)"
            : $"config key {GoSpellings.WatchNamespacesPath} ({string.Join(", ", names)}) is a Go chart value the Go binary never read (it watched every namespace); not applied here either. " +
              $"To limit namespaces use namespaceSelector: \"kubernetes.io/metadata.name in ({string.Join(",", names)})\"");
    }

    private static string UnknownKey(string path)
    {
        var suggestion = Suggest(path, KnownYamlPaths());
        return suggestion is null ? $"{path}: unknown key" : $"{path}: unknown key; did you mean {suggestion}?";
    }

    /// <summary>One value for one of this project's keys, and the spelling the user wrote it with.</summary>
    private sealed record Setting(string Target, string Value, string Source, IReadOnlyList<NodeSelectorTerm>? Terms = null)
    {
        /// <summary>The YAML list a selector setting came from, to write it back in this project's spelling.</summary>
        public YamlNode? Node { get; init; }
    }
}
