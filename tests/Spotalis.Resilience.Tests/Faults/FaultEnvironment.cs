using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster;
using Spotalis.Simulator.Faults;
using Spotalis.Testing;

namespace Spotalis.Resilience.Tests.Faults;

/// <summary>
/// A simulated cluster (spot and on-demand Karpenter pools, fast kubelets) behind a <see cref="FaultInjector"/>,
/// with real operator hosts that serve their admission webhooks to it over HTTPS.
/// </summary>
internal sealed class FaultEnvironment : IAsyncDisposable
{
    public const string BearerToken = "resilience-secret-bearer-token-5f1c";
    public const string OperatorNamespace = "spotalis-system";
    private const string CapacityLabel = "karpenter.sh/capacity-type";

    private readonly List<OperatorHost> _operators = [];

    private FaultEnvironment(SimulatedEnvironment simulation, FaultInjector faults, ILoggerFactory logging)
    {
        Simulation = simulation;
        Faults = faults;
        Logging = logging;
    }

    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(60);

    public SimulatedEnvironment Simulation { get; }

    public ClusterApi Api => Simulation.Api;

    public FaultInjector Faults { get; }

    public ILoggerFactory Logging { get; }

    public IReadOnlyList<OperatorHost> Operators => _operators;

    public static async Task<FaultEnvironment> StartAsync(ILoggerFactory logging, int spotNodes = 3, int onDemandNodes = 3)
    {
        var faults = new FaultInjector(seed: 8);
        var simulation = await SimulatedEnvironment.StartAsync(new SimulatedEnvironmentOptions
        {
            BearerToken = BearerToken,
            Faults = faults,
            Cluster = new ClusterOptions
            {
                PodStartDelay = TimeSpan.FromMilliseconds(300),
                PodReadyDelay = TimeSpan.FromMilliseconds(100),
                ContainerStopDuration = TimeSpan.FromMilliseconds(200),
                ProvisioningDelay = TimeSpan.FromSeconds(1),
                EnableProvisioning = false,
            }.WithPools(spotNodes, onDemandNodes),
        });
        simulation.Api.EnsureNamespace(OperatorNamespace);
        return new FaultEnvironment(simulation, faults, logging);
    }

    /// <summary>Test-sized operator settings: fast resync, short cooldown, high eviction rate, webhook on.</summary>
    public static SpotalisConfig Config(bool leaderElection = false, string identity = "") => SpotalisConfig.Default with
    {
        LogLevel = LogLevel.Debug,
        LeaderElection = new LeaderElectionSettings
        {
            Enabled = leaderElection,
            Identity = identity,
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(500),
        },
        // A webhook fault leaves pods unplaced, which pauses evictions until the admission-path check sees the webhook
        // placing pods again: check every 2 s (default 1 m), as the end-to-end tests compress their timings.
        Webhook = new WebhookSettings { Enabled = true, Port = 0, PathCheckInterval = TimeSpan.FromSeconds(2) },
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

    public async Task<OperatorHost> StartOperatorAsync(SpotalisConfig config, string configurationName = "spotalis", TimeProvider? clock = null)
    {
        if (Api.Get<V1MutatingWebhookConfiguration>(null, configurationName) is null)
        {
            // The chart ships the configuration; the operator only fills in its caBundle (and here its URL).
            await Api.CreateAsync(new V1MutatingWebhookConfiguration
            {
                ApiVersion = "admissionregistration.k8s.io/v1",
                Kind = "MutatingWebhookConfiguration",
                Metadata = new V1ObjectMeta { Name = configurationName },
                Webhooks = [],
            });
        }

        var port = LoopbackPort.Free();
        var host = await OperatorHost.StartAsync(config with { Webhook = config.Webhook with { Port = port } }, Simulation.KubeconfigPath, new OperatorHostOptions
        {
            LoggerFactory = Logging,
            TimeProvider = clock,
            ConfigureWebhook = options => options.OnLoopback() with
            {
                ServiceNamespace = OperatorNamespace,
                ConfigurationName = configurationName,
            },
        });
        _operators.Add(host);
        await WaitForAsync(
            () => host.Cache.IsSynced && Api.Get<V1MutatingWebhookConfiguration>(null, configurationName)?.Webhooks is { Count: > 0 },
            "operator synced and webhook registered");
        return host;
    }

    public async Task StopOperatorAsync(OperatorHost host)
    {
        _operators.Remove(host);
        await host.DisposeAsync();
    }

    public async Task CreateDeploymentAsync(string ns, string name, int replicas, int spotPercentage, int minOnDemand)
    {
        Api.EnsureNamespace(ns);
        await Api.CreateAsync(OptedInDeployment.Create(ns, name, replicas, OptedInDeployment.Policy(spotPercentage, minOnDemand), container: new ContainerShape(Cpu: "50m", Memory: "32Mi")));
    }

    public void SetSpotPercentage(string ns, string name, int spotPercentage) =>
        Api.Mutate<V1Deployment>(ns, name, d =>
        {
            d.Metadata.Annotations["spotalis.io/spot-percentage"] = spotPercentage.ToString(CultureInfo.InvariantCulture);
            return true;
        });

    /// <summary>Ready pods on spot and on on-demand nodes, and whether every pod of the app exists Ready and not terminating.</summary>
    public (int Spot, int OnDemand, bool Settled) Split(string ns, string app)
    {
        var nodes = Api.List<V1Node>().ToDictionary(n => n.Metadata.Name, n => FaultEnvironment.Label(n.Metadata.Labels, CapacityLabel));
        var pods = Api.List<V1Pod>(ns).Where(p => FaultEnvironment.Label(p.Metadata.Labels, "app") == app).ToList();
        var ready = pods.Where(IsReady).Select(p => p.Spec?.NodeName is { } node ? nodes.GetValueOrDefault(node) : null).ToList();
        return (ready.Count(c => c == "spot"), ready.Count(c => c == "on-demand"), ready.Count == pods.Count);
    }

    public static string? Label(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;

    public static bool IsReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase == "Running" &&
        pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

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

    public async ValueTask DisposeAsync()
    {
        Faults.Configure(FaultOptions.None);
        foreach (var host in _operators)
        {
            await host.DisposeAsync();
        }

        await Simulation.DisposeAsync();
    }
}
