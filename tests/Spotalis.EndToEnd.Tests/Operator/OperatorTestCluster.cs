using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;
using Spotalis.Simulator.Http;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>
/// A simulated API server over real HTTP, a kubeconfig pointing at it, and helpers to start real operator hosts
/// against it with test-sized timings.
/// </summary>
internal sealed class OperatorTestCluster : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly List<OperatorHost> _operators = [];
    private readonly string _directory;

    private OperatorTestCluster(SimulatorServer server, string directory)
    {
        Server = server;
        _directory = directory;
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        server.WriteKubeconfig(KubeconfigPath);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
    }

    public SimulatorServer Server { get; }

    public Spotalis.Simulator.Api.ClusterApi Api => Server.Api;

    public string KubeconfigPath { get; }

    /// <summary>A client of the simulated API server, for the test's own reads and writes.</summary>
    public IKubernetes Client { get; }

    public static async Task<OperatorTestCluster> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("spotalis-e2e-").FullName;
        // A token, because KubernetesClient rejects a kubeconfig user without credentials.
        var server = await SimulatorServer.StartAsync(new SimulatorServerOptions { BearerToken = "spotalis-e2e" });
        return new OperatorTestCluster(server, directory);
    }

    /// <summary>Test-sized operator configuration: no webhook, no leader election, fast resync, tiny cooldown.</summary>
    public static SpotalisConfig FastConfig() => SpotalisConfig.Default with
    {
        LogLevel = LogLevel.Warning,
        LeaderElection = new LeaderElectionSettings { Enabled = false },
        Webhook = new WebhookSettings { Enabled = false },
        Controllers = new ControllerSettings
        {
            ReconcileInterval = TimeSpan.FromSeconds(1),
            Cooldown = TimeSpan.FromMilliseconds(200),
            EvictionsPerSecond = 50,
            EvictionBurst = 50,
        },
        Metrics = new EndpointSettings("127.0.0.1:0"),
        Health = new EndpointSettings("127.0.0.1:0"),
    };

    public async Task<OperatorHost> StartOperatorAsync(SpotalisConfig config, OperatorHostOptions? options = null)
    {
        var host = await OperatorHost.StartAsync(config, KubeconfigPath, options ?? new OperatorHostOptions { LoggerFactory = TestLogging.Factory });
        _operators.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _operators)
        {
            await host.DisposeAsync();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="what"/> after <see cref="Patience"/>.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>events.k8s.io/v1 Events about a workload.</summary>
    public IReadOnlyList<Eventsv1Event> EventsFor(string namespaceName, string workloadName) =>
        Api.List<Eventsv1Event>(namespaceName).Where(e => e.Regarding?.Name == workloadName).ToList();
}

/// <summary>Operator logs of the end-to-end tests: warnings and errors only, to the console.</summary>
internal static class TestLogging
{
    public static ILoggerFactory Factory { get; } = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
}
