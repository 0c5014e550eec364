using Spotalis.Core;
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
        var config = SpotalisConfig.Default;
        if (!string.IsNullOrWhiteSpace(yaml))
        {
            config = ApplyYaml(config, yaml, source, problems);
        }

        foreach (var key in ConfigurationKeys.All)
        {
            if (key.EnvironmentVariable is { } name && environment.TryGetValue(name, out var value))
            {
                var result = key.Apply(config, value);
                if (result.Config is null)
                {
                    problems.Add($"{name} (env): {result.Error}");
                }
                else
                {
                    config = result.Config;
                }
            }
        }

        problems.AddRange(Validate(config));
        return problems.Count > 0 ? throw new ConfigurationException(problems) : config;
    }

    /// <summary>Cross-key checks that no single key can make.</summary>
    public static IReadOnlyList<string> Validate(SpotalisConfig config)
    {
        var problems = new List<string>();
        var election = config.LeaderElection;
        if (election.RenewDeadline >= election.LeaseDuration)
        {
            problems.Add($"leaderElection.renewDeadline ({GoDuration.Format(election.RenewDeadline)}) must be shorter than leaderElection.leaseDuration ({GoDuration.Format(election.LeaseDuration)})");
        }

        if (election.RetryPeriod >= election.RenewDeadline)
        {
            problems.Add($"leaderElection.retryPeriod ({GoDuration.Format(election.RetryPeriod)}) must be shorter than leaderElection.renewDeadline ({GoDuration.Format(election.RenewDeadline)})");
        }

        if (config.NodeClassifier.Preset == "custom" && config.NodeClassifier.SpotSelectors.Count == 0)
        {
            problems.Add("nodeClassifier.preset is custom but nodeClassifier.spotSelectors is empty: no node could ever be spot");
        }

        if (!string.IsNullOrWhiteSpace(config.DisruptionWindow.Schedule) &&
            !DisruptionWindow.TryCreate(config.DisruptionWindow.Schedule, config.DisruptionWindow.Duration, config.DisruptionWindow.TimeZone, out _, out var windowError))
        {
            problems.Add($"disruptionWindow: {windowError}");
        }

        if (!LabelSelector.TryParse(config.NamespaceSelector, out _, out var selectorError))
        {
            problems.Add($"namespaceSelector: {selectorError}");
        }

        if (!ListenAddress.TryParse(config.Metrics.Address, out _, out _))
        {
            problems.Add($"metrics.address: '{config.Metrics.Address}' is not host:port");
        }

        if (!ListenAddress.TryParse(config.Health.Address, out _, out _))
        {
            problems.Add($"health.address: '{config.Health.Address}' is not host:port");
        }

        if (!string.IsNullOrWhiteSpace(config.Metrics.CertDir) && config.Metrics.Address == config.Health.Address)
        {
            problems.Add($"metrics.certDir is set, so metrics.address must differ from health.address (both are '{config.Metrics.Address}'): health probes stay plain HTTP");
        }

        if (config.Controllers.MaxConcurrentReconciles < 1)
        {
            problems.Add("controllers.maxConcurrentReconciles must be at least 1");
        }

        if (config.Controllers.EvictionsPerSecond <= 0 || config.Controllers.EvictionBurst < 1)
        {
            problems.Add("controllers.evictionsPerSecond must be > 0 and controllers.evictionBurst >= 1");
        }

        return problems;
    }

    private static Dictionary<string, string> EnvironmentVariables()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith("SPOTALIS_", StringComparison.Ordinal) && entry.Value is string value)
            {
                result[name] = value;
            }
        }

        return result;
    }

    private static SpotalisConfig ApplyYaml(SpotalisConfig config, string yaml, string source, List<string> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            problems.Add($"{source}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
            return config;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or InsufficientExecutionStackException)
        {
            // YamlDotNet's scanner throws these on some malformed input instead of a YamlException.
            problems.Add($"{source}: not valid YAML: {e.Message}");
            return config;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return config;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add($"{source}: the top level must be a mapping of keys");
            return config;
        }

        return ApplyMapping(config, root, "", problems);
    }

    private static SpotalisConfig ApplyMapping(SpotalisConfig config, YamlMappingNode mapping, string prefix, List<string> problems)
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
                config = path.EndsWith("spotSelectors", StringComparison.OrdinalIgnoreCase)
                    ? config with { NodeClassifier = config.NodeClassifier with { SpotSelectors = terms } }
                    : config with { NodeClassifier = config.NodeClassifier with { OnDemandSelectors = terms } };
                continue;
            }

            switch (valueNode)
            {
                case YamlMappingNode child:
                    if (ConfigurationKeys.Find(path) is not null)
                    {
                        problems.Add($"{path}: expected a single value, found a mapping");
                    }
                    else if (!ConfigurationKeys.All.Any(k => k.Path.StartsWith(path + ".", StringComparison.OrdinalIgnoreCase)))
                    {
                        problems.Add($"{path}: unknown key");
                    }
                    else
                    {
                        config = ApplyMapping(config, child, path + ".", problems);
                    }

                    break;
                case YamlScalarNode scalar:
                    var key = ConfigurationKeys.Find(path);
                    if (key is null)
                    {
                        problems.Add($"{path}: unknown key");
                        break;
                    }

                    var result = key.Apply(config, scalar.Value ?? "");
                    if (result.Config is null)
                    {
                        problems.Add($"{key.Path}: {result.Error}");
                    }
                    else
                    {
                        config = result.Config;
                    }

                    break;
                default:
                    problems.Add($"{path}: expected a single value, found a list");
                    break;
            }
        }

        return config;
    }
}
