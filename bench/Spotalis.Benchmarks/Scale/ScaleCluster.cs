using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster;
using Spotalis.Simulator.Faults;
using Spotalis.Testing;

namespace Spotalis.Benchmarks.Scale;

/// <summary>A simulated cluster sized for N workloads of P pods, with a fault layer, and an in-process operator with its webhook.</summary>
internal sealed class ScaleCluster : IAsyncDisposable
{
    public const string CapacityLabel = "karpenter.sh/capacity-type";
    private const string OperatorNamespace = "spotalis-system";
    private const string WebhookServiceName = "spotalis-webhook";
    private OperatorHost? _operator;

    private ScaleCluster(SimulatedEnvironment simulation, FaultInjector faults)
    {
        Simulation = simulation;
        Faults = faults;
    }

    public SimulatedEnvironment Simulation { get; }

    public ClusterApi Api => Simulation.Api;

    public FaultInjector Faults { get; }

    public OperatorHost Operator => _operator ?? throw new InvalidOperationException("operator not started");

    public static async Task<ScaleCluster> StartAsync(int pods, int podsPerNode = 110, bool provisioning = false)
    {
        var nodesPerPool = Math.Max(2, (pods / podsPerNode) + 2);
        NodePoolOptions Pool(string name, NodeCapacityType type) => new()
        {
            Name = name,
            CapacityType = type,
            Cpu = "64",
            Memory = "512Gi",
            MaxPods = podsPerNode,
            InitialNodes = nodesPerPool,
            MinNodes = provisioning ? nodesPerPool : 0,
            MaxNodes = nodesPerPool * 2,
        };
        var faults = new FaultInjector(seed: 42);
        var simulation = await SimulatedEnvironment.StartAsync(new SimulatedEnvironmentOptions
        {
            BearerToken = "bench",
            Faults = faults,
            Cluster = new ClusterOptions
            {
                PodStartDelay = TimeSpan.FromMilliseconds(300),
                PodReadyDelay = TimeSpan.FromMilliseconds(100),
                ContainerStopDuration = TimeSpan.FromMilliseconds(200),
                ProvisioningDelay = TimeSpan.FromSeconds(5),
                InterruptionNotice = TimeSpan.FromSeconds(10),
                EnableProvisioning = provisioning,
                TickInterval = TimeSpan.FromMilliseconds(50),
                Pools = [Pool("spot", NodeCapacityType.Spot), Pool("on-demand", NodeCapacityType.OnDemand)],
            },
        });
        simulation.Api.EnsureNamespace(OperatorNamespace);
        return new ScaleCluster(simulation, faults);
    }

    public static SpotalisConfig Config(double evictionsPerSecond, TimeSpan cooldown) => SpotalisConfig.Default with
    {
        LogLevel = LogLevel.Warning,
        LeaderElection = new LeaderElectionSettings { Enabled = false },
        Webhook = new WebhookSettings { Enabled = true, Port = 0 },
        Controllers = new ControllerSettings
        {
            ReconcileInterval = TimeSpan.FromSeconds(30),
            Cooldown = cooldown,
            EvictionsPerSecond = evictionsPerSecond,
            EvictionBurst = Math.Max(1, (int)evictionsPerSecond),
            MaxConcurrentReconciles = 8,
        },
        Metrics = new EndpointSettings("127.0.0.1:0"),
        Health = new EndpointSettings("127.0.0.1:0"),
    };

    public void SetSchedulable(string capacityType, bool schedulable)
    {
        foreach (var node in Api.List<V1Node>().Where(n => Label(n.Metadata.Labels, CapacityLabel) == capacityType))
        {
            Api.Mutate<V1Node>(null, node.Metadata.Name, n =>
            {
                n.Spec ??= new V1NodeSpec();
                n.Spec.Unschedulable = !schedulable;
                return true;
            });
        }
    }

    public async Task CreateWorkloadsAsync(int workloads, int replicas, int spotPercentage, int minOnDemand)
    {
        for (var i = 0; i < workloads; i++)
        {
            var ns = $"team-{i % 50:D2}";
            Api.EnsureNamespace(ns);
            await Api.CreateAsync(OptedInDeployment.Create(ns, $"app-{i:D5}", replicas, OptedInDeployment.Policy(spotPercentage, minOnDemand), container: new ContainerShape(Cpu: "10m", Memory: "16Mi")));
        }
    }

    public async Task<OperatorHost> StartOperatorAsync(SpotalisConfig config, TimeProvider? clock = null)
    {
        await Api.CreateAsync(new V1MutatingWebhookConfiguration
        {
            ApiVersion = "admissionregistration.k8s.io/v1",
            Kind = "MutatingWebhookConfiguration",
            Metadata = new V1ObjectMeta { Name = "spotalis" },
            Webhooks = [],
        });
        var port = LoopbackPort.Free();
        _operator = await OperatorHost.StartAsync(config with { Webhook = config.Webhook with { Port = port } }, Simulation.KubeconfigPath, new OperatorHostOptions
        {
            LoggerFactory = NullLoggerFactory.Instance,
            TimeProvider = clock,
            ConfigureWebhook = options => options.OnLoopback() with
            {
                ServiceNamespace = OperatorNamespace,
                ConfigurationName = "spotalis",
            },
        });
        return _operator;
    }

    /// <summary>
    /// Starts <c>spotalis run</c> (<paramref name="executable"/>) as a child process with the same settings as
    /// <see cref="Config"/>: webhook enabled with self-managed certificates, reached by the simulator through the
    /// <c>spotalis-webhook</c> Service (loopback at the webhook's port; created, or re-pointed on a restart).
    /// </summary>
    public async Task<OperatorProcess> StartOperatorProcessAsync(string executable, double evictionsPerSecond, TimeSpan cooldown, IReadOnlyList<string> environment)
    {
        var port = LoopbackPort.Free();
        var ports = new List<V1ServicePort> { new() { Port = 443, TargetPort = port } };
        if (Api.Mutate<V1Service>(OperatorNamespace, WebhookServiceName, service =>
            {
                service.Spec.Ports = ports;
                return true;
            }) is null)
        {
            await Api.CreateAsync(new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta { Name = WebhookServiceName, NamespaceProperty = OperatorNamespace },
                Spec = new V1ServiceSpec { Ports = ports },
            });
        }

        var settings = Config(evictionsPerSecond, cooldown).Controllers;
        return OperatorProcess.Start(executable, Simulation.KubeconfigPath, string.Create(CultureInfo.InvariantCulture, $"""
            logLevel: Warning
            leaderElection:
              enabled: false
            webhook:
              enabled: true
              port: {port}
            controllers:
              reconcileInterval: {settings.ReconcileInterval.TotalMilliseconds}ms
              cooldown: {settings.Cooldown.TotalMilliseconds}ms
              evictionsPerSecond: {settings.EvictionsPerSecond}
              evictionBurst: {settings.EvictionBurst}
              maxConcurrentReconciles: {settings.MaxConcurrentReconciles}
            """), environment);
    }

    /// <summary>Per workload (app label): Ready pods by capacity type and whether every pod is Ready and not terminating.</summary>
    public Dictionary<string, (int Spot, int OnDemand, int Total, bool Settled)> Splits()
    {
        var nodes = Api.List<V1Node>().ToDictionary(n => n.Metadata.Name, n => Label(n.Metadata.Labels, CapacityLabel));
        var result = new Dictionary<string, (int Spot, int OnDemand, int Total, bool Settled)>();
        foreach (var pod in Api.List<V1Pod>())
        {
            if (Label(pod.Metadata.Labels, "app") is not { } app || pod.Status?.Phase is "Succeeded" or "Failed")
            {
                continue;
            }

            var ready = IsReady(pod);
            var capacity = ready && pod.Spec?.NodeName is { } node ? nodes.GetValueOrDefault(node) : null;
            var (spot, onDemand, total, settled) = result.GetValueOrDefault(app, (0, 0, 0, true));
            result[app] = (spot + (capacity == "spot" ? 1 : 0), onDemand + (capacity == "on-demand" ? 1 : 0), total + 1, settled && ready);
        }

        return result;
    }

    public static string? Label(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;

    public static bool IsReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase == "Running" &&
        pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public async ValueTask DisposeAsync()
    {
        Faults.Configure(FaultOptions.None);
        if (_operator is not null)
        {
            await _operator.DisposeAsync();
        }

        await Simulation.DisposeAsync();
    }
}
