using System.CommandLine;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;

namespace Spotalis.Cli.Commands;

/// <summary>`spotalis run`: the operator (watch, reconcile, webhook, metrics) until SIGTERM/Ctrl+C.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var configOption = new Option<string?>("--config", "-config") { Description = "YAML configuration file: this project's keys or the Go release's tree (SPOTALIS_* environment variables override it)." };
        var kubeconfigOption = new Option<string?>("--kubeconfig", "-kubeconfig") { Description = "kubeconfig file (default: KUBECONFIG, ~/.kube/config, then the in-cluster service account)." };
        var command = new Command("run", "Run the operator: keep each opted-in workload's spot/on-demand split.")
        {
            configOption,
            kubeconfigOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            SpotalisConfig config;
            try
            {
                config = ConfigurationLoader.Load(parse.GetValue(configOption));
            }
            catch (ConfigurationException e)
            {
                await error.WriteLineAsync(e.Message);
                return 2;
            }

            return await RunAsync(config, parse.GetValue(kubeconfigOption), error, cancellationToken);
        });
        return command;
    }

    /// <summary>Starts the operator and runs it until <paramref name="cancellationToken"/> fires (SIGTERM, Ctrl+C), then stops gracefully.</summary>
    public static async Task<int> RunAsync(SpotalisConfig config, string? kubeconfigPath, TextWriter error, CancellationToken cancellationToken)
    {
        OperatorHost host;
        try
        {
            host = await OperatorHost.StartAsync(config, kubeconfigPath, cancellationToken);
        }
        catch (Exception e) when (e is ConfigurationException or InvalidOperationException)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }

        await using (host)
        {
            var signalled = Task.Delay(Timeout.Infinite, cancellationToken);
            var finished = await Task.WhenAny(signalled, host.Completion);
            await host.StopAsync(CancellationToken.None);
            if (finished == host.Completion && !cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("The operator stopped unexpectedly.");
                return 1;
            }
        }

        return 0;
    }
}
