using k8s.Models;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster;
using Spotalis.Simulator.Http;
using Spotalis.Testing;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>
/// A whole simulated cluster (API server over HTTP, controllers, scheduler, kubelets, a spot and an on-demand
/// Karpenter pool) with real operator hosts, each serving its admission webhook over HTTPS to the simulator.
/// </summary>
internal sealed class OperatorTestEnvironment : IAsyncDisposable
{
    public const string OperatorNamespace = "spotalis-system";
    public const string SpotLabel = "karpenter.sh/capacity-type";

    private readonly SimulatedEnvironment _simulation;
    private readonly List<OperatorHost> _operators = [];

    private OperatorTestEnvironment(SimulatedEnvironment simulation) => _simulation = simulation;

    public SimulatorServer Server => _simulation.Server;

    public SimulatedCluster Cluster => _simulation.Cluster;

    public ClusterApi Api => _simulation.Api;

    public string KubeconfigPath => _simulation.KubeconfigPath;

    public IReadOnlyList<OperatorHost> Operators => _operators;

    /// <param name="useTls">Serve the API over HTTPS: kubectl sends the bearer token only over TLS.</param>
    public static async Task<OperatorTestEnvironment> StartAsync(int spotNodes = 3, int onDemandNodes = 3, Func<ClusterOptions, ClusterOptions>? adjust = null, bool useTls = false)
    {
        var options = new ClusterOptions
        {
            PodStartDelay = TimeSpan.FromMilliseconds(300),
            PodReadyDelay = TimeSpan.FromMilliseconds(100),
            ContainerStopDuration = TimeSpan.FromMilliseconds(200),
            ProvisioningDelay = TimeSpan.FromSeconds(1),
            EnableProvisioning = false,
        }.WithPools(spotNodes, onDemandNodes);
        var simulation = await SimulatedEnvironment.StartAsync(new SimulatedEnvironmentOptions
        {
            Cluster = adjust?.Invoke(options) ?? options,
            BearerToken = "spotalis-e2e",
            UseTls = useTls,
        });
        simulation.Api.EnsureNamespace(OperatorNamespace);
        return new OperatorTestEnvironment(simulation);
    }

    /// <summary>Test-sized timings: fast resync, 200 ms cooldown, no leader election, webhook on a free local port.</summary>
    public static SpotalisConfig FastConfig() => OperatorTestCluster.FastConfig() with
    {
        Webhook = new WebhookSettings { Enabled = true, Port = 0 },
    };

    /// <summary>Starts an operator; its webhook registers itself (self-managed certificate, URL on 127.0.0.1).</summary>
    public async Task<OperatorHost> StartOperatorAsync(SpotalisConfig config, TimeProvider? time = null, string configurationName = "spotalis")
    {
        var port = LoopbackPort.Free();
        var host = await OperatorHost.StartAsync(config with { Webhook = config.Webhook with { Port = port } }, KubeconfigPath, new OperatorHostOptions
        {
            LoggerFactory = TestLogging.Factory,
            TimeProvider = time,
            ConfigureWebhook = options => options.OnLoopback() with
            {
                ServiceNamespace = OperatorNamespace,
                ConfigurationName = configurationName,
            },
        });
        _operators.Add(host);
        await OperatorTestCluster.WaitForAsync(() => host.Cache.IsSynced && Api.Get<V1MutatingWebhookConfiguration>(null, configurationName) is not null, "operator synced and webhook registered");
        return host;
    }

    public async Task StopOperatorAsync(OperatorHost host)
    {
        await host.DisposeAsync();
        _operators.Remove(host);
    }

    /// <summary>Creates a Deployment whose pod template carries the opt-in label (so the webhook sees its pods).</summary>
    public async Task CreateDeploymentAsync(string ns, string name, int replicas, IDictionary<string, string> annotations, string? enabledLabel = "true")
    {
        EnsureNamespace(ns);
        await Api.CreateAsync(OptedInDeployment.Create(ns, name, replicas, annotations, enabledLabel));
    }

    public async Task CreateStatefulSetAsync(string ns, string name, int replicas, IDictionary<string, string> annotations)
    {
        EnsureNamespace(ns);
        var selector = new Dictionary<string, string> { ["app"] = name };
        await Api.CreateAsync(new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { ["spotalis.io/enabled"] = "true" },
                Annotations = new Dictionary<string, string>(annotations),
            },
            Spec = new V1StatefulSetSpec
            {
                Replicas = replicas,
                ServiceName = name,
                PodManagementPolicy = "Parallel",
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = OptedInDeployment.PodTemplate(new Dictionary<string, string>(selector) { ["spotalis.io/enabled"] = "true" }, new ContainerShape()),
            },
        });
    }

    public void EnsureNamespace(string ns, IDictionary<string, string>? labels = null)
    {
        Api.EnsureNamespace(ns);
        if (labels is not null)
        {
            Api.Mutate<V1Namespace>(null, ns, n =>
            {
                n.Metadata.Labels ??= new Dictionary<string, string>();
                foreach (var (key, value) in labels)
                {
                    n.Metadata.Labels[key] = value;
                }

                return true;
            });
        }
    }

    public void Scale<T>(string ns, string name, int replicas)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        Api.Mutate<T>(ns, name, workload =>
        {
            switch (workload)
            {
                case V1Deployment d:
                    d.Spec.Replicas = replicas;
                    break;
                case V1StatefulSet s:
                    s.Spec.Replicas = replicas;
                    break;
            }

            return true;
        });
    }

    public void Annotate<T>(string ns, string name, string key, string value)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        Api.Mutate<T>(ns, name, workload =>
        {
            workload.Metadata.Annotations ??= new Dictionary<string, string>();
            workload.Metadata.Annotations[key] = value;
            return true;
        });
    }

    /// <summary>Live (not terminating, not finished) pods of an app, with the capacity type of their node (null = not scheduled).</summary>
    public IReadOnlyList<(V1Pod Pod, string? Capacity)> PodsOf(string ns, string app)
    {
        var nodes = Api.List<V1Node>().ToDictionary(n => n.Metadata.Name, n => n.Metadata.Labels?.TryGetValue(SpotLabel, out var c) == true ? c : null);
        return Api.List<V1Pod>(ns)
            .Where(p => p.Metadata.Labels?.TryGetValue("app", out var a) == true && a == app)
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .Select(p => (p, p.Spec?.NodeName is { } node && nodes.TryGetValue(node, out var capacity) ? capacity : null))
            .ToList();
    }

    /// <summary>Ready pods on spot and on on-demand nodes, and whether every pod of the app is Ready and not terminating.</summary>
    public (int Spot, int OnDemand, bool Settled) Split(string ns, string app)
    {
        var all = Api.List<V1Pod>(ns).Where(p => p.Metadata.Labels?.TryGetValue("app", out var a) == true && a == app).ToList();
        var live = PodsOf(ns, app);
        var ready = live.Where(p => IsReady(p.Pod)).ToList();
        return (ready.Count(p => p.Capacity == "spot"), ready.Count(p => p.Capacity == "on-demand"), all.Count == ready.Count);
    }

    public Task WaitForSplitAsync(string ns, string app, int spot, int onDemand, TimeSpan? timeout = null) =>
        OperatorTestCluster.WaitForAsync(
            () => Split(ns, app) == (spot, onDemand, true),
            $"{ns}/{app} to settle at {spot} spot / {onDemand} on-demand (now {Split(ns, app)})",
            timeout);

    /// <summary>Evicted Events the operators recorded about a workload.</summary>
    public IReadOnlyList<Eventsv1Event> EventsFor(string ns, string workload, string? reason = null) =>
        Api.List<Eventsv1Event>(ns).Where(e => e.Regarding?.Name == workload && (reason is null || e.Reason == reason)).ToList();

    public static bool IsReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _operators)
        {
            await host.DisposeAsync();
        }

        await _simulation.DisposeAsync();
    }
}
