using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Http;

namespace Spotalis.Simulator.Cluster;

/// <summary>
/// A whole simulated cluster in one object: the API (<see cref="ClusterApi"/>), its HTTP endpoint
/// (<see cref="SimulatorServer"/>) with a kubeconfig on disk, and the cluster behaviour (<see cref="SimulatedCluster"/>)
/// running in the background.
/// </summary>
/// <example>
/// <code>
/// await using var env = await SimulatedEnvironment.StartAsync(new SimulatedEnvironmentOptions
/// {
///     Cluster = new ClusterOptions { Preset = ProviderPreset.Karpenter }.WithPools(spotNodes: 2, onDemandNodes: 2),
/// });
/// // kubectl --kubeconfig env.KubeconfigPath get nodes
/// env.Cluster.Interrupt(nodeName);
/// var cost = env.Cluster.GetCost();
/// </code>
/// </example>
public sealed class SimulatedEnvironment : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _ownsKubeconfig;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private SimulatedEnvironment(ClusterApi api, SimulatedCluster cluster, SimulatorServer server, string kubeconfigPath, bool ownsKubeconfig)
    {
        Api = api;
        Cluster = cluster;
        Server = server;
        KubeconfigPath = kubeconfigPath;
        _ownsKubeconfig = ownsKubeconfig;
    }

    /// <summary>The cluster's API, in process.</summary>
    public ClusterApi Api { get; }

    /// <summary>The cluster behaviour: node pools, interruptions, outages, cost.</summary>
    public SimulatedCluster Cluster { get; }

    /// <summary>The HTTP endpoint that kubectl and KubernetesClient talk to.</summary>
    public SimulatorServer Server { get; }

    /// <summary>A kubeconfig for <see cref="Server"/>, for kubectl (<c>--kubeconfig</c>) and KubernetesClient.</summary>
    public string KubeconfigPath { get; }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>
    /// Creates the API, the cluster (its initial nodes exist when this returns), the HTTP server and the kubeconfig,
    /// and starts the controllers in the background unless <see cref="SimulatedEnvironmentOptions.RunControllers"/> is false.
    /// </summary>
    public static async Task<SimulatedEnvironment> StartAsync(SimulatedEnvironmentOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatedEnvironmentOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var api = new ClusterApi(new ClusterApiOptions
        {
            Time = options.Time,
            Logger = loggerFactory.CreateLogger<ClusterApi>(),
            BeforeWebhookCall = options.Faults is { } injector ? injector.BeforeWebhookCallAsync : null,
        });
        var cluster = new SimulatedCluster(api, options.Cluster, loggerFactory.CreateLogger<SimulatedCluster>());
        SimulatorServer? server = null;
        try
        {
            await cluster.StepAsync(cancellationToken).ConfigureAwait(false);
            server = await SimulatorServer.StartAsync(
                new SimulatorServerOptions { Api = api, Port = options.Port, UseTls = options.UseTls, BearerToken = options.BearerToken, Faults = options.Faults },
                loggerFactory,
                cancellationToken).ConfigureAwait(false);
            var ownsKubeconfig = options.KubeconfigPath is null;
            var path = Path.GetFullPath(options.KubeconfigPath ?? Path.Combine(Path.GetTempPath(), $"spotalis-sim-{Guid.NewGuid():N}.kubeconfig"));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            server.WriteKubeconfig(path);
            var environment = new SimulatedEnvironment(api, cluster, server, path, ownsKubeconfig);
            if (options.RunControllers)
            {
                environment._loop = Task.Run(() => cluster.RunAsync(environment._stop.Token), CancellationToken.None);
            }

            return environment;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Stops the controllers and the server, and deletes a temporary kubeconfig.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await Server.DisposeAsync().ConfigureAwait(false);
        Cluster.Dispose();
        _stop.Dispose();
        if (_ownsKubeconfig)
        {
            try
            {
                File.Delete(KubeconfigPath);
            }
            catch (IOException)
            {
                // A leftover temporary file is harmless.
            }
        }
    }
}
