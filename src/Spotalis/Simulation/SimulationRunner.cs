using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Spotalis.Core.Capacity;
using Spotalis.Core.Nodes;
using Spotalis.Core.Policy;
using Spotalis.Core.Split;
using Spotalis.Core.Timing;
using Spotalis.InProcess;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Reconciliation;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Placement;
using Spotalis.Scenarios;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster;
using k8s.Models;

namespace Spotalis.Simulation;

/// <summary>
/// Runs a scenario on the simulator with a manual clock advanced in fixed steps. Each step: the scenario's replica
/// changes and outages are applied, the simulated cluster settles (controllers, scheduler, kubelet, node pools),
/// the real operator reconciler runs for every workload through an in-process cache view and pod actions, and the
/// recorder observes the result. Pods are admitted by the real webhook handler as an in-process admission plugin.
/// One thread, one seed: the same scenario and seed give the same summary.
/// </summary>
public sealed class SimulationRunner
{
    /// <summary>Cluster time the workloads get to be placed before the run is declared Failed.</summary>
    public static readonly TimeSpan ProvisioningDeadline = TimeSpan.FromMinutes(30);

    private static readonly DateTimeOffset Epoch = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private readonly Scenario _scenario;
    private readonly int _seed;
    private readonly TimeSpan _wallClockLimit;

    public SimulationRunner(Scenario scenario, int? seed, TimeSpan wallClockLimit)
    {
        _scenario = scenario ?? throw new ArgumentNullException(nameof(scenario));
        _seed = seed ?? scenario.Seed;
        _wallClockLimit = wallClockLimit;
    }

    /// <summary>Called after each step with the cluster time reached (for progress output).</summary>
    public Action<TimeSpan>? Progress { get; init; }

    public async Task<SimulationSummary> RunAsync(CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var versions = Versions();
        var config = OperatorConfig(_scenario.Operator);
        var options = ReconcilerOptions.From(config);
        var descriptors = _scenario.Workloads.Select(Describe).ToList();
        var recorder = new SimulationRecorder(_scenario, _seed, descriptors);
        recorder.EnterPhase(SimulationPhase.Pending, TimeSpan.Zero, null);

        var clock = new SimulationClock(Epoch);
        var api = new ClusterApi(new ClusterApiOptions { Time = clock });
        using var cluster = new SimulatedCluster(api, ScenarioCluster.Options(_scenario, _seed));
        var view = new ObjectClusterView();
        using var feed = new ClusterApiViewFeed(api, view);
        var classifier = options.Classifier;
        var events = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var actions = new ClusterApiPodActions(
            api,
            pod =>
            {
                var owner = view.ResolveOwner(pod.Metadata.NamespaceProperty, Projections.Pod(pod).Owners);
                if (owner is not null)
                {
                    recorder.RecordEviction($"{owner.Namespace}/{owner.Name}");
                }
            },
            e => events[e.Reason] = events.GetValueOrDefault(e.Reason) + 1);
        using var evictionLimiter = new SteppedEvictionRateLimiter(config.Controllers.EvictionsPerSecond, config.Controllers.EvictionBurst, _scenario.Step, clock);
        var reconciler = new WorkloadReconciler(view, actions, options, clock, NullLogger.Instance, evictionLimiter: evictionLimiter);
        var webhook = new AdmissionHandler(
            view,
            new WebhookPlacementSettings(classifier.Preset, config.Controllers.FallbackAfter, config.Controllers.ReclaimAfter, TimeSpan.FromSeconds(30), TimeSpan.Zero),
            new WebhookMetrics(Metrics.NewCustomRegistry()),
            NullLogger<AdmissionHandler>.Instance,
            clock);
        using var admission = api.RegisterAdmissionPlugin((body, _) => Task.FromResult(webhook.Handle(body).BodyText), "spotalis.io/webhook", ignoreFailures: true);

        await CreateWorkloadsAsync(api, cancellationToken);
        var refs = _scenario.Workloads.Select(w => new WorkloadRef(w.Kind.ToString(), w.Namespace, w.Name)).ToList();
        var nodeTypes = new Dictionary<string, CapacityType?>(StringComparer.Ordinal);
        var leaving = new HashSet<string>(StringComparer.Ordinal);
        var outagesStarted = new HashSet<OutageWindow>();
        var replicas = _scenario.Workloads.ToDictionary(w => w.Namespace + "/" + w.Name, w => w.Replicas.At(TimeSpan.Zero), StringComparer.Ordinal);
        var slotPrices = _scenario.NodePools.ToDictionary(p => p.Name, p => (double)(p.HourlyPrice / p.PodsPerNode), StringComparer.Ordinal);
        double SlotPrice(string node) => cluster.PoolOf(node) is { } pool && slotPrices.TryGetValue(pool, out var price) ? price : 0;

        recorder.EnterPhase(SimulationPhase.Provisioning, TimeSpan.Zero, Min(ProvisioningDeadline, _scenario.Duration));
        var provisioned = false;
        var at = TimeSpan.Zero;
        cluster.Step();
        try
        {
            while (at < _scenario.Duration)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (wall.Elapsed > _wallClockLimit)
                {
                    return recorder.Fail(at, $"the wall-clock limit of {GoDuration.Format(_wallClockLimit)} passed at {GoDuration.Format(at)} of cluster time", versions);
                }

                var step = Min(_scenario.Step, _scenario.Duration - at);
                at += step;
                clock.Advance(step);
                ApplyReplicaSchedule(api, at, replicas);
                ApplyOutages(cluster, view, at, outagesStarted);
                await cluster.StepAsync(cancellationToken);
                foreach (var workload in refs)
                {
                    await reconciler.ReconcileAsync(workload, cancellationToken);
                }

                var observations = refs.Select((w, i) => Observe(view, classifier, nodeTypes, SlotPrice, w, _scenario.Workloads[i], replicas[$"{w.Namespace}/{w.Name}"])).ToList();
                RecordInterruptions(recorder, cluster, view, classifier, leaving, at);
                recorder.Observe(at, step, observations, PoolSizes(cluster, view));
                if (!provisioned)
                {
                    if (observations.All(o => o.Pending == 0 && o.Spot + o.OnDemand == o.Desired))
                    {
                        recorder.EnterPhase(SimulationPhase.Running, at, _scenario.Duration);
                        provisioned = true;
                    }
                    else if (at >= Min(ProvisioningDeadline, _scenario.Duration))
                    {
                        var stuck = observations.Where(o => o.Pending > 0 || o.Spot + o.OnDemand != o.Desired)
                            .Select(o => $"{o.Key} has {o.Spot + o.OnDemand} of {o.Desired} replicas placed ({o.Pending} pending)");
                        return recorder.Fail(at, "provisioning did not finish in time: " + string.Join("; ", stuck), versions);
                    }
                }

                Progress?.Invoke(at);
            }
        }
        catch (Exception e) when (e is ApiException or InvalidOperationException)
        {
            return recorder.Fail(at, $"the simulation broke: {e.Message}", versions);
        }

        var summary = recorder.Complete(at, versions);
        return summary with { OperatorEvents = events };
    }

    /// <summary>The operator configuration a scenario asks for, through the operator's own loader and validation.</summary>
    public static SpotalisConfig OperatorConfig(OperatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var yaml = new StringBuilder();
        foreach (var group in settings.Values.GroupBy(pair => pair.Key.Contains('.', StringComparison.Ordinal) ? pair.Key[..pair.Key.IndexOf('.', StringComparison.Ordinal)] : string.Empty))
        {
            if (group.Key.Length == 0)
            {
                foreach (var (key, value) in group)
                {
                    yaml.Append(key).Append(": \"").Append(value).AppendLine("\"");
                }

                continue;
            }

            yaml.Append(group.Key).AppendLine(":");
            foreach (var (key, value) in group)
            {
                yaml.Append("  ").Append(key[(group.Key.Length + 1)..]).Append(": \"").Append(value).AppendLine("\"");
            }
        }

        return ConfigurationLoader.Parse(yaml.Length == 0 ? null : yaml.ToString(), new Dictionary<string, string>(), "scenario operator settings");
    }

    public static VersionInfo Versions()
    {
        var described = Commands.VersionCommand.Describe();
        var assembly = typeof(SimulationRunner).Assembly;
        var informational = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return new VersionInfo(
            "spotalis " + (plus >= 0 ? informational[..plus] : informational),
            plus >= 0 ? informational[(plus + 1)..] : "unknown",
            described[(described.IndexOf(", ", StringComparison.Ordinal) + 2)..].TrimEnd(')'));
    }

    private static WorkloadDescriptor Describe(WorkloadSpec workload)
    {
        var policy = PolicyParser.Parse(workload.Labels, workload.Annotations, null);
        return new WorkloadDescriptor(workload.Namespace, workload.Name, workload.Kind.ToString(), policy.Policy.SpotPercentage, policy.Policy.MinOnDemand, policy.IsValid);
    }

    private async Task CreateWorkloadsAsync(ClusterApi api, CancellationToken cancellationToken)
    {
        foreach (var ns in _scenario.Workloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal))
        {
            api.EnsureNamespace(ns);
        }

        foreach (var workload in _scenario.Workloads)
        {
            var metadata = new V1ObjectMeta
            {
                Name = workload.Name,
                NamespaceProperty = workload.Namespace,
                Labels = new Dictionary<string, string>(workload.Labels) { ["app"] = workload.Name },
                Annotations = new Dictionary<string, string>(workload.Annotations),
            };
            var template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = workload.Name } },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 30,
                    Containers = [new V1Container { Name = "app", Image = $"registry.example/{workload.Name}:1" }],
                },
            };
            var replicas = workload.Replicas.At(TimeSpan.Zero);
            await InProcessWorkloads.CreateAsync(api, workload.Kind == WorkloadKind.StatefulSet, metadata, replicas, template, cancellationToken);
        }
    }

    private void ApplyReplicaSchedule(ClusterApi api, TimeSpan at, Dictionary<string, int> current)
    {
        foreach (var workload in _scenario.Workloads)
        {
            var key = $"{workload.Namespace}/{workload.Name}";
            var wanted = workload.Replicas.At(at);
            if (current[key] == wanted)
            {
                continue;
            }

            current[key] = wanted;
            if (workload.Kind == WorkloadKind.StatefulSet)
            {
                api.Mutate<V1StatefulSet>(workload.Namespace, workload.Name, s => { s.Spec.Replicas = wanted; return true; });
            }
            else
            {
                api.Mutate<V1Deployment>(workload.Namespace, workload.Name, d => { d.Spec.Replicas = wanted; return true; });
            }
        }
    }

    /// <summary>An outage is a spot drought: the pool's nodes get interruption notices and it cannot launch until the window ends.</summary>
    private void ApplyOutages(SimulatedCluster cluster, ObjectClusterView view, TimeSpan at, HashSet<OutageWindow> started)
    {
        foreach (var pool in _scenario.NodePools)
        {
            foreach (var outage in pool.Outages)
            {
                if (at < outage.Start || !started.Add(outage))
                {
                    continue;
                }

                var remaining = outage.End - at;
                if (remaining <= TimeSpan.Zero)
                {
                    continue;
                }

                cluster.StartOutage(pool.Name, remaining);
                if (pool.CapacityType == CapacityType.Spot)
                {
                    foreach (var node in view.GetNodes().Where(n => cluster.PoolOf(n.Name) == pool.Name).Select(n => n.Name).Order(StringComparer.Ordinal))
                    {
                        cluster.Interrupt(node);
                    }
                }
            }
        }
    }

    private static WorkloadObservation Observe(
        ObjectClusterView view,
        NodeClassifier classifier,
        Dictionary<string, CapacityType?> nodeTypes,
        Func<string, double> slotPrice,
        WorkloadRef workload,
        WorkloadSpec spec,
        int desiredReplicas)
    {
        var policy = PolicyParser.Parse(spec.Labels, spec.Annotations, view.GetNamespaceLabels(spec.Namespace)).Policy;
        var desired = SplitCalculator.Compute(desiredReplicas, policy.SpotPercentage, policy.MinOnDemand);
        int spot = 0, onDemand = 0, pending = 0, readySpot = 0, readyOnDemand = 0, fallback = 0;
        var slotCost = 0.0;
        foreach (var pod in view.GetPods(workload))
        {
            if (!pod.IsLive)
            {
                continue;
            }

            if (pod.IsFallback)
            {
                fallback++;
            }

            if (pod.NodeName is null)
            {
                pending++;
                continue;
            }

            slotCost += slotPrice(pod.NodeName);
            var type = NodeType(view, classifier, nodeTypes, pod.NodeName);
            if (type == CapacityType.Spot)
            {
                spot++;
                readySpot += pod.Ready ? 1 : 0;
            }
            else
            {
                onDemand++;
                readyOnDemand += pod.Ready ? 1 : 0;
            }
        }

        return new WorkloadObservation($"{workload.Namespace}/{workload.Name}", desiredReplicas, desired.Spot, desired.OnDemand, Math.Min(policy.MinOnDemand, desiredReplicas),
            spot, onDemand, pending, readySpot, readyOnDemand, fallback, slotCost);
    }

    private static CapacityType? NodeType(ObjectClusterView view, NodeClassifier classifier, Dictionary<string, CapacityType?> cache, string nodeName)
    {
        if (cache.TryGetValue(nodeName, out var known))
        {
            return known;
        }

        var node = view.GetNode(nodeName);
        if (node is null)
        {
            return null;
        }

        var type = classifier.Classify(Describe(node)).CapacityType;
        cache[nodeName] = type;
        return type;
    }

    private static NodeDescription Describe(NodeSnapshot node) =>
        new(node.Name, node.Labels, node.Taints.Select(t => new NodeTaint(t.Key, t.Value, t.Effect)).ToList(), node.Unschedulable);

    private static void RecordInterruptions(SimulationRecorder recorder, SimulatedCluster cluster, ObjectClusterView view, NodeClassifier classifier, HashSet<string> leaving, TimeSpan at)
    {
        var nodes = view.GetNodes();
        foreach (var node in nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            var classification = classifier.Classify(Describe(node));
            if (classification.Leaving && classification.CapacityType == CapacityType.Spot && leaving.Add(node.Name))
            {
                recorder.RecordInterruption(at, node.Name, cluster.PoolOf(node.Name) ?? "?");
            }
        }

        leaving.IntersectWith(nodes.Select(n => n.Name));
    }

    private static List<PoolObservation> PoolSizes(SimulatedCluster cluster, ObjectClusterView view)
    {
        var counts = cluster.Pools.ToDictionary(p => p.Name, _ => 0, StringComparer.Ordinal);
        foreach (var node in view.GetNodes())
        {
            if (cluster.PoolOf(node.Name) is { } pool && counts.TryGetValue(pool, out var count))
            {
                counts[pool] = count + 1;
            }
        }

        return counts.Select(pair => new PoolObservation(pair.Key, pair.Value)).ToList();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
