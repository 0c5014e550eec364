using System.CommandLine;
using Spectre.Console;
using Spotalis.Cli.Demo;
using Spotalis.Cli.Views;
using Spotalis.Core;

namespace Spotalis.Cli.Commands;

/// <summary>`spotalis demo`: the operator at work on a simulated cluster, live in the terminal. Needs no cluster.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<string?>("--duration") { Description = "Stop after this long (e.g. 60s, 5m), then wait for the workloads to settle; default: until Ctrl-C." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Where to write the demo cluster's kubeconfig (default: a temporary file, deleted at the end)." };
        var output = OutputFormat.CreateOption();
        var command = new Command("demo", "Run Spotalis on a simulated cluster (3 spot + 3 on-demand nodes, three sample workloads, spot interruptions and an outage) and watch it keep each split.")
        {
            duration, kubeconfig, output,
        };
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
                await error.WriteLineAsync("error: -o json needs --duration (it prints the final state once the run ends)");
                return ExitCodes.Usage;
            }

            var runner = new DemoRunner();
            try
            {
                DemoSnapshot final;
                if (json || console != Console.Out || Console.IsOutputRedirected)
                {
                    final = await runner.RunAsync(limit, parse.GetValue(kubeconfig), path => error.WriteLine($"kubeconfig: {path}"), null, cancellationToken);
                }
                else
                {
                    final = await RunLiveAsync(runner, limit, parse.GetValue(kubeconfig), cancellationToken);
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
                }
                else if (console != Console.Out || Console.IsOutputRedirected)
                {
                    StatusCommand.Render(console, DemoView.Render(final));
                }

                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is TimeoutException or IOException or HttpRequestException)
            {
                await error.WriteLineAsync($"error: the demo could not run: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static async Task<DemoSnapshot> RunLiveAsync(DemoRunner runner, TimeSpan? limit, string? kubeconfig, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine("[bold]Starting the Spotalis demo[/]: simulated cluster, operator and webhook in this process...");
        DemoSnapshot? latest = null;
        var final = await AnsiConsole.Live(new Markup("starting..."))
            .AutoClear(false)
            .StartAsync(async context =>
            {
                return await runner.RunAsync(
                    limit,
                    kubeconfig,
                    path => AnsiConsole.MarkupLine($"kubeconfig: [bold]{Markup.Escape(path)}[/]  (try: kubectl --kubeconfig {Markup.Escape(path)} get pods -A -L spotalis.io/capacity-type)"),
                    snapshot =>
                    {
                        latest = snapshot;
                        context.UpdateTarget(DemoView.Render(snapshot));
                        context.Refresh();
                    },
                    cancellationToken);
            });
        AnsiConsole.MarkupLine(cancellationToken.IsCancellationRequested ? "[grey]Stopped (Ctrl-C). The demo cluster is gone.[/]" : "[grey]Demo finished.[/]");
        return latest ?? final;
    }
}
