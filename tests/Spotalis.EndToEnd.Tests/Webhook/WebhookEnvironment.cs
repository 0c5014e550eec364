using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Core.Capacity;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster;
using Spotalis.Simulator.Http;
using Spotalis.Testing;
using k8s.Models;

namespace Spotalis.EndToEnd.Tests.Webhook;

/// <summary>
/// A simulated cluster served over HTTP, its controllers running, and the real operator (watch cache, controller,
/// webhook with self-managed certificates) connected through a kubeconfig. The simulator calls the webhook over
/// HTTPS and verifies it against the caBundle the operator wrote into its MutatingWebhookConfiguration.
/// </summary>
public sealed class WebhookEnvironment : IAsyncDisposable
{
    public const string OperatorNamespace = "spotalis-system";

    private readonly SimulatedEnvironment _simulation;
    private readonly IDisposable _subscription;

    private WebhookEnvironment(SimulatedEnvironment simulation, int webhookPort)
    {
        _simulation = simulation;
        WebhookPort = webhookPort;
        _subscription = Api.Subscribe(change =>
        {
            if (change.Object is V1Pod pod &&
                (change.Type == ClusterChangeType.Deleted || pod.Metadata.DeletionTimestamp is not null))
            {
                RemovedPods.TryAdd($"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}", 0);
            }
        });
    }

    public SimulatorServer Server => _simulation.Server;

    public ClusterApi Api => _simulation.Api;

    public SimulatedCluster Cluster => _simulation.Cluster;

    public int WebhookPort { get; }

    public OperatorHost? Operator { get; private set; }

    /// <summary>Every pod that was ever deleted or evicted (namespace/name).</summary>
    public ConcurrentDictionary<string, byte> RemovedPods { get; } = new();

    public static async Task<WebhookEnvironment> StartAsync()
    {
        var simulation = await SimulatedEnvironment.StartAsync(new SimulatedEnvironmentOptions
        {
            Cluster = new ClusterOptions
            {
                Pools = ClusterOptions.DefaultPools(2, 2),
                PodStartDelay = TimeSpan.FromMilliseconds(200),
            },
        });
        simulation.Api.EnsureNamespace(OperatorNamespace);
        return new WebhookEnvironment(simulation, LoopbackPort.Free());
    }

    /// <summary>Starts the operator with the webhook on <see cref="WebhookPort"/> and waits until it is wired and synced.</summary>
    public async Task StartOperatorAsync(bool webhookEnabled = true)
    {
        var config = SpotalisConfig.Default with
        {
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            LeaderElection = new LeaderElectionSettings { Enabled = false },
            Controllers = new ControllerSettings
            {
                ReconcileInterval = TimeSpan.FromSeconds(2),
                Cooldown = TimeSpan.FromMilliseconds(500),
                EvictionsPerSecond = 20,
                EvictionBurst = 20,
            },
            Webhook = new WebhookSettings { Enabled = webhookEnabled, Port = WebhookPort },
            Metrics = new EndpointSettings("127.0.0.1:0"),
            Health = new EndpointSettings("127.0.0.1:0"),
        };
        Operator = await OperatorHost.StartAsync(config, _simulation.KubeconfigPath, new OperatorHostOptions
        {
            LoggerFactory = NullLoggerFactory.Instance,
            ConfigureWebhook = options => options.OnLoopback(),
        });
        await Eventually(
            () => Operator.Cache.IsSynced && (!webhookEnabled ||
                  (Api.Get<V1MutatingWebhookConfiguration>(null, "spotalis") is not null &&
                   Api.Get<V1Secret>(OperatorNamespace, "spotalis-webhook-tls") is not null)),
            "the operator's cache to sync and its self-managed certificates to be written");
    }

    public async Task StopOperatorAsync()
    {
        if (Operator is not null)
        {
            await Operator.DisposeAsync();
            Operator = null;
        }
    }

    public async Task CreateNamespaceAsync(string name, bool optedIn)
    {
        await Api.CreateAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = optedIn ? new Dictionary<string, string> { [SpotalisKeys.Enabled] = "true" } : null,
            },
        });
    }

    /// <summary>A Deployment; <paramref name="enabled"/> is put on the workload and its pod template (null: neither).</summary>
    public async Task CreateDeploymentAsync(string namespaceName, string name, int replicas, int spotPercentage, string? enabled) =>
        await Api.CreateAsync(OptedInDeployment.Create(namespaceName, name, replicas, OptedInDeployment.Policy(spotPercentage), enabled,
            new ContainerShape(Cpu: "50m", Memory: "64Mi", TerminationGracePeriodSeconds: null, Image: "registry.example.com/app:1.0")));

    public IReadOnlyList<V1Pod> Pods(string namespaceName, string app) =>
        Api.List<V1Pod>(namespaceName).Where(p => p.Metadata.Labels is { } labels && labels.TryGetValue("app", out var value) && value == app && p.Metadata.DeletionTimestamp is null).ToList();

    /// <summary>The capacity type of the node a pod runs on, from the node's Karpenter label; null while unscheduled.</summary>
    public string? NodeCapacityType(V1Pod pod) =>
        pod.Spec.NodeName is { Length: > 0 } node ? Api.Get<V1Node>(null, node)?.Metadata.Labels is { } labels && labels.TryGetValue("karpenter.sh/capacity-type", out var type) ? type : null : null;

    public static async Task Eventually(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {seconds}s waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopOperatorAsync();
        _subscription.Dispose();
        await _simulation.DisposeAsync();
    }
}
