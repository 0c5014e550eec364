using System.CommandLine;
using System.Net;
using k8s.Autorest;
using Spotalis.Cluster;

namespace Spotalis.Commands;

/// <summary>`spotalis explain ns/pod`: why this pod runs where it runs and what the controller plans for it next.</summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("pod") { Description = "The pod as <namespace>/<name>, or <name> (also pod/<name>) with --namespace." };
        var kubeconfig = StatusCommand.KubeconfigOption();
        var ns = new Option<string?>("--namespace", "-n") { Description = "Namespace of the pod when the argument has none." };
        var config = StatusCommand.ConfigOption();
        var output = OutputFormat.CreateOption(OutputFormat.Table);
        var command = new Command("explain", "Explain why a pod runs on spot or on-demand: owner, policy, the webhook's choice, node classification and the controller's next step.")
        {
            target, kubeconfig, ns, config, output,
        };
        CommandHelp.AddExamples(command,
            ("Why this pod runs where it runs, and what happens to it next", "spotalis explain shop/web-7d9c-abcde"),
            ("The same with the namespace as an option, against a given kubeconfig", "spotalis explain web-7d9c-abcde -n shop --kubeconfig /tmp/demo.kubeconfig"),
            ("As JSON for scripts", "spotalis explain shop/web-7d9c-abcde -o json"));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var text = parse.GetValue(target) ?? string.Empty;
            if (!PodArgument.TryParse(text, out var podArgument, out var argumentError))
            {
                await error.WriteLineAsync("error: " + argumentError);
                return ExitCodes.Usage;
            }

            if (!StatusCommand.TryLoadConfig(parse.GetValue(config), error, out var spotalisConfig))
            {
                return ExitCodes.Usage;
            }

            try
            {
                var (client, defaultNamespace) = ClusterConnection.Open(parse.GetValue(kubeconfig));
                using (client)
                {
                    var podNamespace = podArgument.Namespace ?? parse.GetValue(ns) ?? defaultNamespace;
                    var podName = podArgument.Name;
                    var (view, notes) = await ClusterSnapshotLoader.LoadAsync(client, podNamespace, cancellationToken);
                    var pod = view.GetAllPods().FirstOrDefault(p => p.Namespace == podNamespace && p.Name == podName);
                    if (pod is null)
                    {
                        await error.WriteLineAsync($"error: pod {podNamespace}/{podName} not found");
                        return ExitCodes.Failure;
                    }

                    foreach (var note in notes)
                    {
                        await error.WriteLineAsync("note: " + note);
                    }

                    var explanation = new PodExplainer(view, spotalisConfig, TimeProvider.System).Explain(pod);
                    if (parse.GetValue(output) == OutputFormat.Json)
                    {
                        await console.WriteLineAsync(CliJson.Serialize(explanation));
                    }
                    else
                    {
                        await console.WriteLineAsync(Describe(explanation));
                    }

                    return ExitCodes.Ok;
                }
            }
            catch (ClusterConnectionException e)
            {
                await error.WriteLineAsync("error: " + e.Message);
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or k8s.Exceptions.KubeConfigException)
            {
                var notFound = e is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound };
                await error.WriteLineAsync($"error: {(notFound ? "not found" : "cannot read the cluster")}: {StatusCommand.Describe(e)}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    public static string Describe(PodExplanation e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var lines = new List<string>
        {
            $"Pod:        {e.Namespace}/{e.Pod} ({e.Phase}{(e.Ready ? ", Ready" : ", not Ready")})",
            $"Owner:      {e.Owner ?? "none"}{(e.Managed ? " (managed by Spotalis)" : string.Empty)}",
            $"Policy:     {e.Policy}",
        };
        lines.AddRange(e.PolicyProblems.Select(p => $"            ! {p}"));
        lines.Add($"Node:       {e.Node ?? "(none)"} -> {e.NodeClassification}");
        lines.Add($"Placement:  {e.Placement}");
        if (e.WorkloadState is not null)
        {
            lines.Add($"Workload:   {e.WorkloadState}: {e.WorkloadReason}");
            lines.Add($"Split:      desired {e.DesiredSplit}; actual {e.ActualSplit}");
        }

        lines.Add($"Next:       {e.NextStep}");
        return string.Join(Environment.NewLine, lines);
    }
}
