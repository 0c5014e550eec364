using System.CommandLine;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Spotalis.Cluster;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;

namespace Spotalis.Commands;

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
        CommandHelp.AddExamples(command,
            ("Run the operator against the cluster of your current kubectl context", "spotalis run"),
            ("Run it against a simulated cluster (started with: spotalis sim serve --kubeconfig /tmp/sim.kubeconfig)", "spotalis run --kubeconfig /tmp/sim.kubeconfig"),
            ("Watch without evicting anything", "SPOTALIS_READ_ONLY=true spotalis run --config spotalis.yaml"));
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
        try
        {
            await EnsureOperatorNamespacesAsync(config, kubeconfigPath, error, cancellationToken);
        }
        catch (ClusterConnectionException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return ExitCodes.Usage;
        }

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

    /// <summary>
    /// The leader-election Lease and the self-managed webhook certificate live in the operator's namespace. A cluster
    /// without it (a fresh or simulated one, with the operator run from a terminal) would leave the operator without a
    /// leader and the webhook without a certificate, failing again on every retry. One warning line and creating the
    /// namespace keep the operator working; an installation by Helm or kustomize creates it with its RBAC.
    /// </summary>
    private static async Task EnsureOperatorNamespacesAsync(SpotalisConfig config, string? kubeconfigPath, TextWriter error, CancellationToken cancellationToken)
    {
        var needed = new List<(string Namespace, string For)>();
        if (config.LeaderElection.Enabled)
        {
            needed.Add((config.LeaderElection.LeaseNamespace, "the leader-election Lease"));
        }

        if (config.Webhook.Enabled && string.IsNullOrWhiteSpace(config.Webhook.CertDir))
        {
            needed.Add((config.Webhook.SelfManaged.ServiceNamespace, "the webhook certificate Secret"));
        }

        if (needed.Count == 0)
        {
            return;
        }

        var (client, _) = ClusterConnection.Open(kubeconfigPath);
        using (client)
        {
            foreach (var group in needed.GroupBy(n => n.Namespace, StringComparer.Ordinal))
            {
                var uses = string.Join(" and ", group.Select(g => g.For));
                try
                {
                    await client.CoreV1.ReadNamespaceAsync(group.Key, cancellationToken: cancellationToken);
                    continue;
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    // Missing: create it below.
                }
                catch (Exception e) when (e is HttpOperationException or HttpRequestException)
                {
                    // Cannot tell (no permission to read namespaces, API not reachable yet): the operator reports its own errors.
                    continue;
                }

                try
                {
                    await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = group.Key } }, cancellationToken: cancellationToken);
                    await error.WriteLineAsync($"warning: namespace {group.Key} did not exist; created it for {uses} (an install with Helm or kustomize creates it with the operator's RBAC).");
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
                {
                    // Created meanwhile by someone else.
                }
                catch (Exception e) when (e is HttpOperationException or HttpRequestException)
                {
                    await error.WriteLineAsync($"warning: namespace {group.Key} does not exist and could not be created ({StatusCommand.Describe(e)}); "
                        + $"{uses} cannot work until it exists: kubectl create namespace {group.Key}");
                }
            }
        }
    }
}
