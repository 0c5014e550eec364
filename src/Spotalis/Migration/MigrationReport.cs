using System.Text;
using Spotalis.Operator.Configuration;

namespace Spotalis.Migration;

/// <summary>The human-readable plan printed by <c>spotalis migrate</c>.</summary>
public static class MigrationReport
{
    private static readonly (string Title, string[] Kinds)[] Sections =
    [
        ("Workloads whose management changes", ["opted-in-by-namespace", "namespace-never-managed-by-go", "pinned-capacity-type"]),
        ("Go's webhook configuration", ["go-webhook-configuration"]),
        ("Go's leftovers on StatefulSets", ["go-statefulset-leftovers"]),
        ("Dashboards and alerts that query Go metric names", ["renamed-metric"]),
        ("Configuration and chart values", ["config-problem", "chart-value"]),
    ];

    public static string Render(IReadOnlyList<MigrationItem> items, ConfigurationTranslation? translation, bool applied)
    {
        ArgumentNullException.ThrowIfNull(items);
        var text = new StringBuilder();
        text.AppendLine("Spotalis migration plan (from the Go Spotalis v0.1.x)");
        foreach (var (title, kinds) in Sections)
        {
            var section = items.Where(i => kinds.Contains(i.Kind)).ToList();
            text.AppendLine();
            text.AppendLine($"{title}: {(section.Count == 0 ? "none" : section.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
            foreach (var item in section)
            {
                text.AppendLine($"  [{(item.ActionNeeded ? "action" : "advice")}] {item.Subject}  ({item.Kind})");
                text.AppendLine($"      found:  {item.Finding}");
                text.AppendLine($"      effect: {item.Effect}");
                text.AppendLine($"      do:     {item.Action}");
                if (item.Apply is not null)
                {
                    var state = item.Applied switch
                    {
                        true => "done",
                        false => $"FAILED: {item.ApplyError}",
                        null => applied ? "not applied" : "with --apply",
                    };
                    text.AppendLine($"      apply:  {item.Apply} [{state}]");
                }
            }
        }

        if (translation is not null)
        {
            text.AppendLine();
            text.AppendLine(translation.GoSpellingsUsed.Count == 0
                ? "Configuration: already in this project's spelling."
                : $"Configuration: the old file works as is ({translation.GoSpellingsUsed.Count} Go keys, each logged once at startup); the same settings in this project's keys:");
            foreach (var line in translation.Yaml.TrimEnd().Split('\n'))
            {
                text.AppendLine("    " + line);
            }

            foreach (var notice in translation.Notices.Where(n => !n.Contains("is the Go Spotalis spelling", StringComparison.Ordinal)))
            {
                text.AppendLine($"  note: {notice}");
            }
        }

        text.AppendLine();
        text.AppendLine("Go metric names and the PromQL to use instead (labels without an equivalent are dropped):");
        foreach (var (metric, query) in PromQlRewriter.Table())
        {
            text.AppendLine($"  {metric.GoName} -> {query}");
            text.AppendLine($"      {metric.Meaning}{(metric.DroppedLabels.Count == 0 ? "" : $"; no {string.Join(", ", metric.DroppedLabels)}")}");
        }

        var pending = items.Where(i => i.ActionNeeded && i.Applied != true).ToList();
        var applicable = pending.Count(i => i.Apply is not null && i.Applied is null);
        text.AppendLine();
        text.AppendLine(pending.Count == 0
            ? "Nothing to do: switch to this project (see docs/how-to/migrate.md)."
            : $"{pending.Count} action(s) needed{(applicable > 0 ? $"; {applicable} can be made with --apply (exactly the 'apply:' lines above)" : "")}.");
        return text.ToString();
    }
}
