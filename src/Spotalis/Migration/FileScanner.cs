using Spotalis.Operator.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Migration;

/// <summary>Reads the old Go config file or chart values file and dashboard/alert files (reads only).</summary>
public static class FileScanner
{
    /// <summary>The Go config file's (or the values file's <c>config:</c> block's) translation and the items it needs.</summary>
    public static (ConfigurationTranslation Translation, IReadOnlyList<MigrationItem> Items) Config(string yaml, string source)
    {
        var translation = ConfigurationLoader.Translate(yaml, source);
        var items = translation.Problems.Select(problem => new MigrationItem("config-problem", source,
            problem, "spotalis run stops at startup (exit 2)", "fix or remove the setting", true, null)).ToList();
        return (translation, items);
    }

    /// <summary>A Go chart values file: its <c>config:</c> block (translated like a config file) and the values this chart refuses.</summary>
    public static (ConfigurationTranslation? Translation, IReadOnlyList<MigrationItem> Items) Values(string yaml, string source)
    {
        var items = new List<MigrationItem>();
        YamlMappingNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}: not valid YAML at line {e.Start.Line}: {e.Message}", e);
        }

        if (root is null)
        {
            return (null, items);
        }

        void Refuse(string path, string? value, string why, string action)
        {
            if (value is not null)
            {
                items.Add(new MigrationItem("chart-value", $"{source}: {path}", $"{path}: {value}", $"helm install of this chart stops: {why}", action, true, null));
            }
        }

        Refuse("image.repository", Scalar(root, "image", "repository") is "ahoma/spotalis" ? "ahoma/spotalis" : null,
            "it is the Go Spotalis image", "set image.repository/image.tag to your build of this project (see docs/how-to/install-helm.md)");
        Refuse("webhook.failurePolicy", Scalar(root, "webhook", "failurePolicy") is { } policy && policy != "Ignore" ? policy : null,
            "this chart always uses Ignore", "remove it");
        Refuse("rbac.scope", Scalar(root, "rbac", "scope") is "namespace" ? "namespace" : null,
            "the operator reads nodes and namespaces cluster-wide", "use cluster (limit managed namespaces with config.namespace or config.namespaceSelector)");
        foreach (var name in new[] { "nameOverride", "fullnameOverride" })
        {
            Refuse(name, Scalar(root, name) is { Length: > 0 } value ? value : null, "object names are fixed", "remove it");
        }

        if (Node(root, "extraEnv") is YamlSequenceNode env)
        {
            var variables = env.Children.OfType<YamlMappingNode>()
                .Select(e => (Name: Scalar(e, "name"), Value: Scalar(e, "value")))
                .Where(e => e.Name is not null && e.Value is not null)
                .ToDictionary(e => e.Name!, e => e.Value!, StringComparer.Ordinal);
            try
            {
                ConfigurationLoader.Parse(null, variables);
            }
            catch (ConfigurationException e)
            {
                items.AddRange(e.Problems.Select(problem => new MigrationItem("config-problem", $"{source}: extraEnv", problem,
                    "spotalis run stops at startup (exit 2)", "fix or remove the variable", true, null)));
            }
        }

        if (Node(root, "config") is YamlMappingNode config)
        {
            using var writer = new StringWriter();
            new YamlStream(new YamlDocument(config)).Save(writer, assignAnchors: false);
            var (translation, configItems) = Config(writer.ToString(), $"{source}: config");
            items.AddRange(configItems);
            return (translation, items);
        }

        return (null, items);
    }

    /// <summary>Dashboard (Grafana JSON) or alert rule (Prometheus YAML) files.</summary>
    public static IEnumerable<MigrationItem> Dashboards(string path, string text) => ClusterScanner.MetricItems(path, text);

    private static YamlNode? Node(YamlMappingNode mapping, params string[] path)
    {
        YamlNode? node = mapping;
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }

    private static string? Scalar(YamlMappingNode mapping, params string[] path) => (Node(mapping, path) as YamlScalarNode)?.Value;
}
