using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Cluster;
using Spotalis.Core.Capacity;
using Spotalis.Core.Nodes;
using Spotalis.Core.Planning;
using Spotalis.Core.Workloads;
using Spotalis.InProcess;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;
using Spotalis.Simulator.Cluster;
using Spotalis.Views;
using k8s.Models;

namespace Spotalis.Demo;

/// <summary>
/// `spotalis demo`: a simulated cluster (3 spot + 3 on-demand Karpenter nodes, pools that can grow) on real HTTP, the
/// real operator and its webhook in process talking to it over HTTP(S), three sample workloads, a spot interruption
/// about every 20 s and one short spot outage. Produces <see cref="DemoSnapshot"/>s for the live view or for JSON.
/// </summary>
public sealed class DemoRunner
{
    public const string OperatorNamespace = "spotalis-system";
    public const string SpotPool = "spot";

    /// <summary>A bounded run injects no disruption this close to its end, so the final state shows the recovery.</summary>
    public static readonly TimeSpan QuietEnd = TimeSpan.FromSeconds(15);

    /// <summary>After a bounded run's duration, how long to wait at most for every workload to be Balanced again.</summary>
    public static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(45);

    public static readonly TimeSpan FirstInterruption = TimeSpan.FromSeconds(12);
    public static readonly TimeSpan InterruptionEvery = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan OutageAt = TimeSpan.FromSeconds(40);
    public static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(20);

    /// <summary>The operator's reclaimAfter in the demo: fallback pods go back to spot once they are this old.</summary>
    public static readonly TimeSpan ReclaimAfter = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The shortest bounded run that includes the spot outage: the outage, the operator's reclaimAfter (fallback pods
    /// return to spot only after that) and the quiet end must all fit, or the run would overrun its duration.
    /// </summary>
    public static readonly TimeSpan ShortestRunWithOutage = OutageAt + OutageLength + ReclaimAfter + QuietEnd;

    private readonly List<DemoEvent> _demoEvents = [];
    private readonly Lock _lock = new();
    // The demo runs in real time: the composition root of `spotalis demo` is the one place that reads the wall clock.
    private static readonly TimeProvider Clock = TimeProvider.System;
    private DateTimeOffset _started;

    /// <summary>Time since <see cref="RunAsync"/> was called; zero before.</summary>
    public TimeSpan Elapsed => _started == default ? TimeSpan.Zero : Clock.GetUtcNow() - _started;

    /// <summary>Cluster timings sized for a person watching: pods start in about a second, nodes in 3 s, notices last 5 s.</summary>
    public static ClusterOptions ClusterOptions() => new ClusterOptions
    {
        Preset = ProviderPreset.Karpenter,
        PodStartDelay = TimeSpan.FromMilliseconds(500),
        PodReadyDelay = TimeSpan.FromMilliseconds(500),
        ContainerStopDuration = TimeSpan.FromMilliseconds(300),
        ProvisioningDelay = TimeSpan.FromSeconds(3),
        InterruptionNotice = TimeSpan.FromSeconds(5),
        EmptyNodeTtl = TimeSpan.FromSeconds(30),
        Seed = 1,
    }.WithPools(spotNodes: 3, onDemandNodes: 3);

    /// <summary>Operator configuration sized for the demo: fast resync, 1 s cooldown, fallback after 10 s, reclaim after 20 s.</summary>
    public static SpotalisConfig OperatorConfig(int webhookPort) => SpotalisConfig.Default with
    {
        LogLevel = LogLevel.Warning,
        LeaderElection = new LeaderElectionSettings { Enabled = false },
        Webhook = new WebhookSettings { Enabled = true, Port = webhookPort },
        Controllers = new ControllerSettings
        {
            ReconcileInterval = TimeSpan.FromSeconds(2),
            Cooldown = TimeSpan.FromSeconds(1),
            FallbackAfter = TimeSpan.FromSeconds(10),
            ReclaimAfter = ReclaimAfter,
            EvictionsPerSecond = 5,
            EvictionBurst = 5,
        },
        Metrics = new EndpointSettings("127.0.0.1:0"),
        Health = new EndpointSettings("127.0.0.1:0"),
    };

    /// <summary>
    /// Runs the demo until <paramref name="duration"/> has passed since the call (startup included), then waits up to
    /// <see cref="SettleLimit"/> for every workload to be Balanced again; or until cancelled.
    /// </summary>
    /// <param name="onStarted">Called once with the kubeconfig path as soon as the cluster listens.</param>
    /// <param name="onFrame">Called about twice a second with the current state.</param>
    public async Task<DemoSnapshot> RunAsync(
        TimeSpan? duration,
        string? kubeconfigPath,
        Action<string>? onStarted,
        Action<DemoSnapshot>? onFrame,
        CancellationToken cancellationToken)
    {
        // The clock starts with the command, so `--duration 60s` is about 60 s of wall time, startup included.
        _started = Clock.GetUtcNow();
        await using var cluster = await SimulatedEnvironment.StartAsync(new SimulatedEnvironmentOptions { Cluster = ClusterOptions(), KubeconfigPath = kubeconfigPath }, cancellationToken: cancellationToken);
        cluster.Server.Api.EnsureNamespace(OperatorNamespace);
        onStarted?.Invoke(cluster.KubeconfigPath);
        var port = FreePort();
        await using var host = await OperatorHost.StartAsync(OperatorConfig(port), cluster.KubeconfigPath, new OperatorHostOptions
        {
            LoggerFactory = NullLoggerFactory.Instance,
            ConfigureWebhook = options => options.OnLoopback() with
            {
                ServiceNamespace = OperatorNamespace,
            },
        }, cancellationToken);
        await WaitAsync(() => host.Cache.IsSynced && cluster.Server.Api.Get<V1MutatingWebhookConfiguration>(null, host.Config.Webhook.SelfManaged.ConfigurationName) is not null,
            TimeSpan.FromSeconds(60), cancellationToken);

        await CreateWorkloadsAsync(cluster, cancellationToken);
        var schedule = Disruptions(duration);
        var frame = Snapshot(cluster, host, duration, settling: false);
        var outage = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var elapsed = Clock.GetUtcNow() - _started;
                while (schedule.Count > 0 && schedule.Peek().At <= elapsed)
                {
                    schedule.Dequeue().Apply(this, cluster);
                }

                var settling = duration is { } end && elapsed >= end;
                frame = Snapshot(cluster, host, duration, settling);
                if (outage && !frame.SpotOutage)
                {
                    Note("Normal", "SpotCapacityBack", $"NodePool/{SpotPool}", "the spot outage is over: spot nodes can launch again");
                    frame = Snapshot(cluster, host, duration, settling);
                }

                outage = frame.SpotOutage;
                onFrame?.Invoke(frame);
                if (duration is { } limit && elapsed >= limit && (frame.Workloads.All(Settled) || elapsed >= limit + SettleLimit))
                {
                    break;
                }

                await Task.Delay(500, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: end cleanly with the last frame.
        }

        return frame;
    }

    private static bool Settled(WorkloadStatusRow row) =>
        row.State == nameof(WorkloadState.Balanced) && row.ActualSpot == row.DesiredSpot && row.ActualOnDemand == row.DesiredOnDemand && row.Pending == 0;

    private static Queue<Disruption> Disruptions(TimeSpan? duration)
    {
        var horizon = duration is { } d ? d - QuietEnd : TimeSpan.FromHours(24);
        var items = new List<Disruption>();
        for (var at = FirstInterruption; at <= horizon; at += InterruptionEvery)
        {
            items.Add(new Disruption(at, DisruptionKind.Interruption));
        }

        if (duration is null || duration >= ShortestRunWithOutage)
        {
            items.Add(new Disruption(OutageAt, DisruptionKind.OutageStart));
        }

        return new Queue<Disruption>(items.OrderBy(i => i.At).ThenBy(i => i.Kind));
    }

    private void Note(string type, string reason, string subject, string message)
    {
        lock (_lock)
        {
            _demoEvents.Add(new DemoEvent(Clock.GetUtcNow() - _started, type, reason, subject, message));
        }
    }

    private void InterruptBusiestSpotNode(SimulatedEnvironment cluster, string why)
    {
        var api = cluster.Server.Api;
        var pods = api.List<V1Pod>().Where(p => p.Metadata.DeletionTimestamp is null && p.Spec?.NodeName is not null).GroupBy(p => p.Spec.NodeName).ToDictionary(g => g.Key, g => g.Count());
        var node = api.List<V1Node>()
            .Where(n => cluster.Cluster.PoolOf(n.Metadata.Name) == SpotPool && !(n.Spec?.Taints?.Any(t => t.Key == "karpenter.sh/disrupted") ?? false))
            .OrderByDescending(n => pods.GetValueOrDefault(n.Metadata.Name))
            .ThenBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (node is null)
        {
            return;
        }

        if (cluster.Cluster.Interrupt(node.Metadata.Name))
        {
            Note("Warning", "SpotInterruption", $"Node/{node.Metadata.Name}", $"{why}: the provider takes this node back in 5 s ({pods.GetValueOrDefault(node.Metadata.Name)} pods on it)");
        }
    }

    private void StartOutage(SimulatedEnvironment cluster)
    {
        cluster.Cluster.StartOutage(SpotPool, OutageLength);
        Note("Warning", "SpotOutage", $"NodePool/{SpotPool}", $"no spot capacity for {OutageLength.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: new spot nodes cannot launch");
        InterruptBusiestSpotNode(cluster, "during the outage");
    }

    private DemoSnapshot Snapshot(SimulatedEnvironment cluster, OperatorHost host, TimeSpan? duration, bool settling)
    {
        var classifier = new NodeClassifier(NodePresets.Karpenter);
        var api = cluster.Server.Api;
        int spot = 0, onDemand = 0;
        foreach (var node in api.List<V1Node>())
        {
            var c = classifier.Classify(new NodeDescription(
                node.Metadata.Name,
                new Dictionary<string, string>(node.Metadata.Labels ?? new Dictionary<string, string>()),
                node.Spec?.Taints?.Select(t => new NodeTaint(t.Key, t.Value, t.Effect)).ToList() ?? [],
                node.Spec?.Unschedulable ?? false));
            if (c.Leaving)
            {
                continue;
            }

            if (c.CapacityType == CapacityType.Spot)
            {
                spot++;
            }
            else if (c.CapacityType == CapacityType.OnDemand)
            {
                onDemand++;
            }
        }

        var rows = DemoWorkload.Samples
            .Select(w => WorkloadStatusReader.ToRow(host.Reconciler.Evaluate(new WorkloadRef(w.Kind, w.Namespace, w.Name))))
            .ToList();
        var operatorEvents = api.List<Eventsv1Event>()
            .Where(e => e.ReportingController == "spotalis.io/operator")
            .Select(e => new DemoEvent(
                (e.EventTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : _started) - _started,
                e.Type ?? "Normal",
                e.Reason ?? string.Empty,
                $"{e.Regarding?.Kind}/{e.Regarding?.Name}",
                e.Note ?? string.Empty));
        List<DemoEvent> events;
        lock (_lock)
        {
            events = [.. operatorEvents.Concat(_demoEvents).OrderBy(e => e.At)];
        }

        return new DemoSnapshot(Clock.GetUtcNow() - _started, duration, cluster.KubeconfigPath, spot, onDemand, cluster.Cluster.IsInOutage(SpotPool), rows, events, settling);
    }

    private static async Task CreateWorkloadsAsync(SimulatedEnvironment cluster, CancellationToken cancellationToken)
    {
        var api = cluster.Server.Api;
        foreach (var workload in DemoWorkload.Samples)
        {
            api.EnsureNamespace(workload.Namespace);
            var labels = new Dictionary<string, string> { ["app"] = workload.Name, [SpotalisKeys.Enabled] = "true" };
            var metadata = new V1ObjectMeta
            {
                Name = workload.Name,
                NamespaceProperty = workload.Namespace,
                Labels = new Dictionary<string, string> { [SpotalisKeys.Enabled] = "true" },
                Annotations = new Dictionary<string, string>
                {
                    [SpotalisKeys.SpotPercentage] = workload.SpotPercentage.ToString(CultureInfo.InvariantCulture),
                    [SpotalisKeys.MinOnDemand] = workload.MinOnDemand.ToString(CultureInfo.InvariantCulture),
                },
            };
            var template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = labels },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 5,
                    Containers = [new V1Container { Name = "app", Image = $"registry.example/{workload.Name}:1" }],
                },
            };
            await InProcessWorkloads.CreateAsync(api, workload.Kind == WorkloadKinds.StatefulSet, metadata, workload.Replicas, template, cancellationToken);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Clock.GetUtcNow() + timeout;
        while (!condition())
        {
            if (Clock.GetUtcNow() > deadline)
            {
                throw new TimeoutException("the operator did not sync with the simulated cluster and register its webhook in time");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private enum DisruptionKind
    {
        Interruption,
        OutageStart,
    }

    private sealed record Disruption(TimeSpan At, DisruptionKind Kind)
    {
        public void Apply(DemoRunner runner, SimulatedEnvironment cluster)
        {
            if (Kind == DisruptionKind.OutageStart)
            {
                runner.StartOutage(cluster);
            }
            else
            {
                runner.InterruptBusiestSpotNode(cluster, "spot interruption notice");
            }
        }
    }
}
