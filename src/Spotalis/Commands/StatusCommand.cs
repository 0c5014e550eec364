using System.CommandLine;
using k8s.Autorest;
using Spectre.Console;
using Spotalis.Cluster;
using Spotalis.Operator.Configuration;
using Spotalis.Views;

namespace Spotalis.Commands;

/// <summary>`spotalis status`: one row per managed workload, from the live cluster, judged by the operator's own logic.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var kubeconfig = KubeconfigOption();
        var ns = new Option<string?>("--namespace", "-n") { Description = "Namespace to show (default: the kubeconfig context's namespace)." };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Show managed workloads in every namespace." };
        var config = ConfigOption();
        var output = OutputFormat.CreateOption();
        var command = new Command("status", "Show each managed workload's desired and actual spot/on-demand split, pending pods and state.")
        {
            kubeconfig, ns, all, config, output,
        };
        CommandHelp.AddExamples(command,
            ("Every managed workload in every namespace of the current kubectl context", "spotalis status -A"),
            ("One namespace of the demo's cluster (spotalis demo --kubeconfig /tmp/demo.kubeconfig)", "spotalis status --kubeconfig /tmp/demo.kubeconfig -n shop"),
            ("As JSON for scripts", "spotalis status -A -o json"));
        command.Validators.Add(result =>
        {
            if (result.GetValue(all) && !string.IsNullOrEmpty(result.GetValue(ns)))
            {
                result.AddError("--namespace and --all-namespaces cannot be used together.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!TryLoadConfig(parse.GetValue(config), error, out var spotalisConfig))
            {
                return ExitCodes.Usage;
            }

            try
            {
                var (client, defaultNamespace) = ClusterConnection.Open(parse.GetValue(kubeconfig));
                using (client)
                {
                    var scope = parse.GetValue(all) ? null : parse.GetValue(ns) ?? defaultNamespace;
                    var (view, notes) = await ClusterSnapshotLoader.LoadAsync(client, scope, cancellationToken);
                    var (pathLine, pathProblem) = await AdmissionPathAsync(client, view, spotalisConfig, cancellationToken);
                    var rows = new WorkloadStatusReader(view, spotalisConfig, TimeProvider.System, pathProblem).Read(scope);
                    foreach (var note in notes)
                    {
                        await error.WriteLineAsync("note: " + note);
                    }

                    if (parse.GetValue(output) == OutputFormat.Json)
                    {
                        await console.WriteLineAsync(CliJson.Serialize(new StatusDocument(rows)));
                        return ExitCodes.Ok;
                    }

                    if (rows.Count == 0)
                    {
                        await console.WriteLineAsync(scope is null
                            ? "No managed workloads (label a Deployment or StatefulSet, or its namespace, spotalis.io/enabled=true)."
                            : $"No managed workloads in namespace {scope} (try -A for every namespace).");
                        return ExitCodes.Ok;
                    }

                    await console.WriteLineAsync(pathLine);
                    Render(console, StatusTable.Render(rows, showNamespace: scope is null));
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
                await error.WriteLineAsync($"error: cannot read the cluster: {Describe(e)}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    /// <summary>
    /// The header line: is the webhook in the admission path (a dry-run pod create, nothing is written)? And the
    /// problem that stops evictions, judged by the operator's rule, so rows show PlacementNotSteered as it would.
    /// </summary>
    private static async Task<(string Line, string? Problem)> AdmissionPathAsync(k8s.IKubernetes client, Spotalis.Operator.Cache.IClusterView view, Spotalis.Operator.Configuration.SpotalisConfig config,
        CancellationToken cancellationToken)
    {
        try
        {
            var (inPath, detail) = await new Spotalis.Operator.Hosting.AdmissionPathProbe(client, view).CheckAsync(config.Webhook.SelfManaged.ConfigurationName, cancellationToken);
            var line = inPath switch
            {
                true => $"webhook: in the admission path ({detail})",
                false => $"webhook: NOT in the admission path: {detail}",
                _ => $"webhook: not checked ({detail})",
            };
            return (line, Spotalis.Operator.Hosting.AdmissionPathProbe.ProblemOf(inPath, detail));
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return ($"webhook: not checked ({e.Message})", null);
        }
    }


    internal static Option<string?> KubeconfigOption() =>
        new("--kubeconfig") { Description = "Path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)." };

    internal static Option<string?> ConfigOption() =>
        new("--config") { Description = "The operator's configuration file, so presets and timings match the running operator (default: built-in defaults)." };

    internal static bool TryLoadConfig(string? path, TextWriter error, out SpotalisConfig config)
    {
        try
        {
            config = ConfigurationLoader.Load(string.IsNullOrEmpty(path) ? null : path);
            return true;
        }
        catch (Exception e) when (e is ConfigurationException or IOException)
        {
            error.WriteLine($"error: {e.Message}");
            config = SpotalisConfig.Default;
            return false;
        }
    }

    internal static void Render(TextWriter output, Spectre.Console.Rendering.IRenderable renderable)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == Console.Out && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = output == Console.Out && !Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (output != Console.Out || Console.IsOutputRedirected)
        {
            console.Profile.Width = 200;
        }

        console.Write(renderable);
    }

    internal static string Describe(Exception e) => e switch
    {
        HttpOperationException http => $"{(int)http.Response.StatusCode} {http.Response.ReasonPhrase}: {http.Response.Content}",
        _ => e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})",
    };
}
