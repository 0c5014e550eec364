using Spotalis.Simulator.Cluster;
using Spotalis.Simulator.Http;

namespace Spotalis.Cli.Demo;

/// <summary>
/// A simulated cluster on real HTTP: the API server, the cluster machinery running in real time, and a kubeconfig
/// that kubectl and KubernetesClient accept. Used by `spotalis demo` and `spotalis sim serve`.
/// </summary>
public sealed class SimulatedClusterHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly bool _ownsKubeconfig;

    private SimulatedClusterHost(SimulatorServer server, SimulatedCluster cluster, string kubeconfigPath, bool ownsKubeconfig)
    {
        Server = server;
        Cluster = cluster;
        KubeconfigPath = kubeconfigPath;
        _ownsKubeconfig = ownsKubeconfig;
        _loop = Task.Run(() => cluster.RunAsync(_stop.Token));
    }

    public SimulatorServer Server { get; }

    public SimulatedCluster Cluster { get; }

    public string KubeconfigPath { get; }

    /// <summary>Starts the API server on 127.0.0.1:<paramref name="port"/> (0 = any free port) and writes the kubeconfig.</summary>
    /// <param name="kubeconfigPath">Where to write the kubeconfig; null writes one in a fresh temporary folder, deleted on dispose.</param>
    public static async Task<SimulatedClusterHost> StartAsync(ClusterOptions options, int port, string? kubeconfigPath, CancellationToken cancellationToken)
    {
        var server = await SimulatorServer.StartAsync(new SimulatorServerOptions { Port = port }, cancellationToken: cancellationToken);
        try
        {
            var owns = kubeconfigPath is null;
            var path = kubeconfigPath ?? Path.Combine(Directory.CreateTempSubdirectory("spotalis-").FullName, "kubeconfig");
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            server.WriteKubeconfig(path);
            var cluster = new SimulatedCluster(server.Api, options);
            // One step before announcing the cluster, so that its initial nodes already exist.
            await cluster.StepAsync(cancellationToken);
            return new SimulatedClusterHost(server, cluster, Path.GetFullPath(path), owns);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        Cluster.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
        if (_ownsKubeconfig)
        {
            try
            {
                Directory.Delete(Path.GetDirectoryName(KubeconfigPath)!, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: it is a temporary folder.
            }
        }
    }
}
