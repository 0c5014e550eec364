using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Spotalis.Core.Timing;
using Spotalis.Demo;
using Spotalis.Views;

namespace Spotalis.Commands;

/// <summary>`spotalis demo`: the operator at work on a simulated cluster, live in the terminal. Needs no cluster.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<string?>("--duration")
        {
            Description = "Stop after this long (e.g. 60s, 5m), startup included, then wait up to 45 s for every workload to be Balanced; default: until Ctrl-C. "
                + "Runs shorter than 95s have no spot outage.",
        };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Where to write the demo cluster's kubeconfig (default: a temporary file, deleted at the end)." };
        var output = OutputFormat.CreateOption();
        output.Description = "Output format: table (live view on a terminal) or json (needs --duration: runs headless and prints the final state).";
        var command = new Command("demo", "Run Spotalis on a simulated cluster (3 spot + 3 on-demand nodes, three sample workloads, spot interruptions and an outage) and watch it keep each split.")
        {
            duration, kubeconfig, output,
        };
        CommandHelp.AddExamples(command,
            ("Watch it live until Ctrl-C", "spotalis demo"),
            ("Run two minutes headless and print the final state as JSON (-o json needs --duration)", "spotalis demo --duration 2m -o json"),
            ("Keep the kubeconfig where kubectl can use it from another terminal", "spotalis demo --kubeconfig /tmp/demo.kubeconfig"));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            TimeSpan? limit = null;
            if (parse.GetValue(duration) is { } text)
            {
                if (!GoDuration.TryParse(text, out var parsed) || parsed <= TimeSpan.Zero)
                {
                    await error.WriteLineAsync($"error: --duration '{text}' is not a positive Go-style duration such as 60s or 5m");
                    return ExitCodes.Usage;
                }

                limit = parsed;
            }

            var json = parse.GetValue(output) == OutputFormat.Json;
            if (json && limit is null)
            {
                await error.WriteLineAsync("error: -o json needs --duration (it prints the final state once the run ends), e.g. spotalis demo --duration 2m -o json");
                return ExitCodes.Usage;
            }

            var chosenKubeconfig = parse.GetValue(kubeconfig);
            string? kubeconfigPath = null;
            var runner = new DemoRunner();
            var live = !json && console == Console.Out && !Console.IsOutputRedirected;
            DemoSnapshot final;
            try
            {
                if (live)
                {
                    using var screen = DemoScreen.Enter();
                    screen.DrawStarting("simulated cluster, operator and webhook in this process...");
                    final = await runner.RunAsync(limit, chosenKubeconfig, path => kubeconfigPath = path, screen.Draw, cancellationToken);
                }
                else
                {
                    final = await runner.RunAsync(limit, chosenKubeconfig, path =>
                    {
                        kubeconfigPath = path;
                        error.WriteLine($"kubeconfig: {path}");
                    }, null, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Goodbye(live ? Console.Out : error, runner.Elapsed, kubeconfigPath, chosenKubeconfig);
                return ExitCodes.Interrupted;
            }
            catch (Exception e) when (e is TimeoutException or IOException or HttpRequestException)
            {
                await error.WriteLineAsync($"error: the demo could not run: {e.Message}");
                return ExitCodes.Failure;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                await Goodbye(live ? Console.Out : error, final.Elapsed, kubeconfigPath, chosenKubeconfig);
                return ExitCodes.Interrupted;
            }

            if (json)
            {
                await console.WriteLineAsync(CliJson.Serialize(new
                {
                    elapsedSeconds = (int)final.Elapsed.TotalSeconds,
                    kubeconfig = final.KubeconfigPath,
                    nodes = new { spot = final.SpotNodes, onDemand = final.OnDemandNodes },
                    workloads = final.Workloads,
                    events = final.Events.Select(e => new { atSeconds = Math.Round(e.At.TotalSeconds, 1), e.Type, e.Reason, e.Subject, e.Message }),
                }));
                return ExitCodes.Ok;
            }

            var width = live ? DemoScreen.Size().Width : 200;
            foreach (var line in DemoView.Final(final, width))
            {
                StatusCommand.Render(console, new Markup(line.Markup(width)));
                await console.WriteLineAsync();
            }

            await console.WriteLineAsync(Finished(final));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The one line a stopped demo leaves behind, saying that what it created is gone.</summary>
    public static string GoodbyeLine(TimeSpan elapsed, string? kubeconfigPath, string? chosenKubeconfig)
    {
        var ran = Seconds(elapsed);
        var kubeconfig = kubeconfigPath is null ? string.Empty
            : chosenKubeconfig is null ? $"; deleted {kubeconfigPath}"
            : $"; the kubeconfig you asked for stays at {kubeconfigPath}";
        return $"Spotalis demo stopped after {ran} (Ctrl-C): cluster, operator and webhook stopped{kubeconfig}.";
    }

    private static async Task Goodbye(TextWriter writer, TimeSpan elapsed, string? kubeconfigPath, string? chosenKubeconfig)
    {
        await writer.WriteLineAsync(GoodbyeLine(elapsed, kubeconfigPath, chosenKubeconfig));
        await writer.FlushAsync();
    }

    private static string Finished(DemoSnapshot final)
    {
        var settle = final.Duration is { } d && (int)final.Elapsed.TotalSeconds > (int)d.TotalSeconds
            ? $" ({Seconds(d)} + {Seconds(final.Elapsed - d)} for the workloads to settle)"
            : string.Empty;
        return $"Demo finished after {Seconds(final.Elapsed)}{settle}; the demo cluster is gone.";
    }

    private static string Seconds(TimeSpan t) => ((int)t.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
}
