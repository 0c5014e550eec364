using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Commands;

/// <summary>`spotalis sim serve`: a local simulated cluster to play with kubectl (and to run the operator against).</summary>
public static class SimCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "Where to write the kubeconfig for kubectl and KubernetesClient.", Required = true };
        var preset = new Option<string>("--preset") { Description = "Node labels and taints of this provider: karpenter, eks, gke or aks.", DefaultValueFactory = _ => "karpenter" };
        preset.AcceptOnlyFromAmong("karpenter", "eks", "gke", "aks");
        var spot = new Option<int>("--spot-nodes") { Description = "Spot nodes at start.", DefaultValueFactory = _ => 3 };
        var onDemand = new Option<int>("--on-demand-nodes") { Description = "On-demand nodes at start.", DefaultValueFactory = _ => 3 };
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 = any free port).", DefaultValueFactory = _ => 0 };
        var provisioning = new Option<int>("--provisioning-delay") { Description = "Seconds from the decision to launch a node to the node being Ready.", DefaultValueFactory = _ => 30 };
        var notice = new Option<int>("--interruption-notice") { Description = "Seconds from a spot interruption notice (the taint) to the node's removal.", DefaultValueFactory = _ => 120 };
        notice.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 3600)
            {
                result.AddError("--interruption-notice must be between 0 and 3600 seconds.");
            }
        });
        provisioning.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 3600)
            {
                result.AddError("--provisioning-delay must be between 0 and 3600 seconds.");
            }
        });
        foreach (var option in new[] { spot, onDemand })
        {
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() is < 0 or > 100)
                {
                    result.AddError($"{result.Option.Name} must be between 0 and 100.");
                }
            });
        }

        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError("--port must be between 0 and 65535.");
            }
        });
        var serve = new Command("serve", "Start a simulated cluster (API server, controllers, scheduler, kubelets, spot and on-demand node pools), write a kubeconfig, and run until Ctrl-C.")
        {
            kubeconfig, preset, spot, onDemand, port, provisioning, notice,
        };
        CommandHelp.AddExamples(serve,
            ("A playground cluster until Ctrl-C; then kubectl --kubeconfig /tmp/sim.kubeconfig get nodes", "spotalis sim serve --kubeconfig /tmp/sim.kubeconfig"),
            ("GKE node labels, 5 spot and 2 on-demand nodes, on a fixed port", "spotalis sim serve --kubeconfig /tmp/sim.kubeconfig --preset gke --spot-nodes 5 --on-demand-nodes 2 --port 6443"));
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = new ClusterOptions
            {
                Preset = Simulation.ScenarioCluster.Preset(parse.GetValue(preset)!),
                ProvisioningDelay = TimeSpan.FromSeconds(parse.GetValue(provisioning)),
                InterruptionNotice = TimeSpan.FromSeconds(parse.GetValue(notice)),
            }.WithPools(parse.GetValue(spot), parse.GetValue(onDemand));
            SimulatedEnvironment host;
            using var logging = SimulatorLogging();
            try
            {
                host = await SimulatedEnvironment.StartAsync(new SimulatedEnvironmentOptions { Cluster = options, Port = parse.GetValue(port), KubeconfigPath = parse.GetValue(kubeconfig) }, logging, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                await error.WriteLineAsync($"error: cannot start the simulated cluster: {e.Message}");
                return ExitCodes.Failure;
            }

            await using (host)
            {
                await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Simulated cluster listening on {host.Server.BaseAddress.ToString().TrimEnd('/')} ({parse.GetValue(spot)} spot + {parse.GetValue(onDemand)} on-demand {parse.GetValue(preset)} nodes); kubeconfig: {host.KubeconfigPath}. Ctrl-C to stop."));
                await console.FlushAsync(cancellationToken);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C or SIGTERM: stop cleanly.
                }
            }

            return ExitCodes.Ok;
        });
        var sim = new Command("sim", "The simulated Kubernetes cluster: serve it, and drive its cloud (interruptions, outages, pool limits).") { serve };
        CommandHelp.AddExamples(sim, ("Start a simulated cluster for kubectl", "spotalis sim serve --kubeconfig /tmp/sim.kubeconfig"));
        foreach (var control in SimControlCommands.Create())
        {
            sim.Add(control);
        }

        return sim;
    }

    /// <summary>Warnings of the simulated cluster (failed webhook calls, failed controllers) on stderr, one line each.</summary>
    private static ILoggerFactory SimulatorLogging() => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.UseUtcTimestamp = true;
            options.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    });
}
