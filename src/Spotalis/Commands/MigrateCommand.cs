using System.CommandLine;
using k8s.Autorest;
using Spotalis.Cluster;
using Spotalis.Migration;
using Spotalis.Operator.Configuration;

namespace Spotalis.Commands;

/// <summary>
/// `spotalis migrate`: reads a cluster the Go Spotalis ran in (and optionally its old config, values and dashboard
/// files) and prints what changes when this project takes over and what to do. Changes nothing unless --apply, and
/// then only the listed items that have an apply step.
/// </summary>
public static class MigrateCommand
{
    /// <summary>Exit code: the plan lists actions still to take.</summary>
    public const int ActionNeeded = 3;

    public static IReadOnlyList<(string What, string Line)> Examples { get; } =
    [
        ("Print the plan for the current kubeconfig context and the old config file", "spotalis migrate --config old-config.yaml"),
        ("Also check the old Helm values and a Grafana dashboard", "spotalis migrate --values go-values.yaml --dashboards spotalis.json"),
        ("Make the listed changes that have an apply step (opt-out labels, Go webhook deletion)", "spotalis migrate --config old-config.yaml --apply"),
        ("For scripts: exit 0 = nothing to do, 3 = action needed", "spotalis migrate -o json > plan.json"),
    ];

    public static Command Create()
    {
        var kubeconfig = StatusCommand.KubeconfigOption();
        var config = new Option<string?>("--config", "-config") { Description = "The Go operator's config file (translated and checked)." };
        var values = new Option<string?>("--values", "-f") { Description = "The Go chart's values file (checked against this chart; its config: block is translated)." };
        var dashboards = new Option<string[]>("--dashboards") { Description = "Grafana dashboard JSON or Prometheus rule files to check for Go metric names.", AllowMultipleArgumentsPerToken = true };
        var skipCluster = new Option<bool>("--no-cluster") { Description = "Only check the files; do not read a cluster." };
        var apply = new Option<bool>("--apply") { Description = "Make the listed changes that have an apply step; nothing else." };
        var output = OutputFormat.CreateOption();
        var command = new Command("migrate", Description)
        {
            kubeconfig, config, values, dashboards, skipCluster, apply, output,
        };
        CommandHelp.AddExamples(command, [.. Examples]);
        command.Validators.Add(result =>
        {
            if (result.GetValue(apply) && result.GetValue(skipCluster))
            {
                result.AddError("--apply changes the cluster; it cannot be used with --no-cluster.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var items = new List<MigrationItem>();
            var notes = new List<string>();
            ConfigurationTranslation? translation = null;
            try
            {
                if (parse.GetValue(config) is { Length: > 0 } configPath)
                {
                    (translation, var configItems) = FileScanner.Config(await File.ReadAllTextAsync(configPath, cancellationToken), configPath);
                    items.AddRange(configItems);
                }

                if (parse.GetValue(values) is { Length: > 0 } valuesPath)
                {
                    var (valuesTranslation, valueItems) = FileScanner.Values(await File.ReadAllTextAsync(valuesPath, cancellationToken), valuesPath);
                    translation ??= valuesTranslation;
                    items.AddRange(valueItems);
                }

                foreach (var path in parse.GetValue(dashboards) ?? [])
                {
                    items.AddRange(FileScanner.Dashboards(path, await File.ReadAllTextAsync(path, cancellationToken)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Usage;
            }

            var applied = false;
            if (!parse.GetValue(skipCluster))
            {
                try
                {
                    var (client, _) = ClusterConnection.Open(parse.GetValue(kubeconfig));
                    using (client)
                    {
                        var ownConfiguration = translation?.Config?.Webhook.SelfManaged.ConfigurationName ?? SpotalisConfig.Default.Webhook.SelfManaged.ConfigurationName;
                        items.AddRange(await ClusterScanner.ScanAsync(client, ownConfiguration, notes, cancellationToken));
                        if (parse.GetValue(apply))
                        {
                            items = [.. await MigrationApplier.ApplyAsync(client, items, cancellationToken)];
                            applied = true;
                        }
                    }
                }
                catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or k8s.Exceptions.KubeConfigException)
                {
                    await error.WriteLineAsync($"error: cannot read the cluster: {StatusCommand.Describe(e)}");
                    return ExitCodes.Failure;
                }
            }

            foreach (var note in notes)
            {
                await error.WriteLineAsync("note: " + note);
            }

            var pending = items.Where(i => i.ActionNeeded && i.Applied != true).ToList();
            var code = items.Any(i => i.Applied == false) ? ExitCodes.Failure : pending.Count > 0 ? ActionNeeded : ExitCodes.Ok;
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                await console.WriteLineAsync(CliJson.Serialize(new
                {
                    actionNeeded = pending.Count > 0,
                    applied,
                    items,
                    config = translation is null ? null : new { translation.Yaml, translation.Notices, translation.Problems, translation.GoSpellingsUsed },
                    metricRewrites = PromQlRewriter.Table().Select(t => new { goMetric = t.Metric.GoName, query = t.Query, meaning = t.Metric.Meaning, droppedLabels = t.Metric.DroppedLabels }),
                }));
                return code;
            }

            await console.WriteAsync(MigrationReport.Render(items, translation, applied));
            return code;
        });
        return command;
    }

    private const string Description =
        "Plan the move from the Go Spotalis: list workloads whose management changes, pinned capacity types, Go's leftovers, " +
        "its webhook configuration, renamed metrics and the translated config. Changes nothing unless --apply. " +
        "Exit code: 0 nothing to do, 3 action needed, 1 cluster unreadable or an apply step failed, 2 bad input.";
}
