using System.Text;

namespace Spotalis.Operator.Configuration;

/// <summary>Renders the configuration key table of <c>docs/reference/configuration.md</c> from <see cref="ConfigurationKeys"/>.</summary>
public static class ConfigurationReference
{
    public const string BeginMarker = "<!-- BEGIN GENERATED: configuration keys -->";
    public const string EndMarker = "<!-- END GENERATED: configuration keys -->";

    public const string GoBeginMarker = "<!-- BEGIN GENERATED: go spellings -->";
    public const string GoEndMarker = "<!-- END GENERATED: go spellings -->";

    /// <summary>The Go release's spellings and what each becomes here, from <see cref="GoSpellings"/>.</summary>
    public static string GoSpellingsTable()
    {
        var text = new StringBuilder();
        text.Append("| Go spelling | where | use instead |\n");
        text.Append("| --- | --- | --- |\n");
        foreach (var spelling in GoSpellings.All)
        {
            text.Append($"| `{spelling.Name}` | {(spelling.IsEnvironment ? "env" : "YAML")} | {spelling.NewSpelling} |\n");
        }

        foreach (var (path, target) in GoSpellings.SelectorLists)
        {
            text.Append($"| `{path}` | YAML | {target} |\n");
        }

        text.Append($"| `{GoSpellings.WatchNamespacesPath}` | YAML | namespace or namespaceSelector (the Go binary never read it; not applied) |\n");
        return text.ToString();
    }

    public static string MarkdownTable()
    {
        var text = new StringBuilder();
        text.Append("| YAML key | env var | default | meaning |\n");
        text.Append("| --- | --- | --- | --- |\n");
        var rows = ConfigurationKeys.All.Select(k => (k.Path, Env: $"`{k.EnvironmentVariable}`", k.DefaultValue, k.Description))
            .Concat(ConfigurationKeys.ListKeys.Select(k => (k.Path, Env: "(YAML only)", k.DefaultValue, k.Description)))
            .OrderBy(r => Order(r.Path));
        foreach (var (path, env, defaultValue, description) in rows)
        {
            text.Append($"| `{path}` | {env} | `{defaultValue}` | {description} |\n");
        }

        return text.ToString();
    }

    private static int Order(string path)
    {
        var index = ConfigurationKeys.All.ToList().FindIndex(k => k.Path == path);
        return index >= 0 ? index * 10 : (ConfigurationKeys.All.ToList().FindIndex(k => k.Path == "nodeClassifier.preset") * 10) + 1 +
                                          (path == ConfigurationKeys.SpotSelectorsPath ? 0 : 1);
    }
}
