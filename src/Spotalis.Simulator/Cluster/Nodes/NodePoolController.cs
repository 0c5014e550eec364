using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Controllers;
using Spotalis.Simulator.Cluster.Matching;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// The cloud side of the cluster: node pools with their initial nodes; provisioning of nodes for pods the scheduler
/// found unschedulable (cheapest pool that can host them, after the provisioning delay, Karpenter-style);
/// capacity outages during which a pool cannot launch; spot interruptions (explicit or random at a per-pool rate:
/// the provider's taint at the notice, eviction of the pods and removal of the node when the notice ends);
/// optional scale-in of empty nodes; the node lifecycle controller's <c>node.kubernetes.io/unschedulable</c> taint on
/// cordoned nodes; and the cost ledger (node-hours times price).
/// All bookkeeping is guarded by the state lock, never held while calling the API.
/// </summary>
internal sealed partial class NodePoolController : ClusterController
{
    private const string InitKey = "*init";
    private const string ProvisionKey = "*provision";
    private const string LaunchPrefix = "launch:";
    private const string ReclaimPrefix = "reclaim:";
    private const string RandomInterruptionPrefix = "random:";
    private const string NodePrefix = "node:";

    private readonly ProviderProfile _profile;
    private readonly Dictionary<string, PoolRuntime> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrackedNode> _nodes = new(StringComparer.Ordinal);
    private readonly List<TrackedNode> _retired = [];
    private readonly Dictionary<int, Launch> _launches = [];
    private int _nextSequence;
    private int _nextLaunchId;
    private ClusterStatistics _statistics = new();

    public NodePoolController(ControllerContext context)
        : base(context)
    {
        _profile = ProviderProfile.For(context.Options.Preset);
        foreach (var pool in context.Options.Pools)
        {
            _pools[pool.Name] = new PoolRuntime(pool, pool.Zones is { Count: > 0 } zones ? zones : _profile.DefaultZones);
        }

        MarkDirty(InitKey);
    }

    public override string Name => "node-pools";

    public ProviderProfile Profile => _profile;

    public IReadOnlyList<NodePoolOptions> Pools => [.. _pools.Values.Select(p => p.Options)];

    public ClusterStatistics Statistics
    {
        get
        {
            lock (Context.State.Sync)
            {
                return _statistics with { PendingLaunches = _launches.Count };
            }
        }
    }

    public override void OnChange(ClusterChangeType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? previous)
    {
        switch (obj)
        {
            case CustomObject custom:
                OnCloudObjectChange(type, custom);
                break;
            case V1Node node:
                OnNodeChange(type, node);
                OnNodeAnnotations(type, node);
                MarkDirty(StatusKey);
                break;
            case V1Pod pod:
                if (string.IsNullOrEmpty(pod.Spec?.NodeName))
                {
                    if (type != ClusterChangeType.Deleted && PodFacts.IsUnschedulable(pod) && !PodFacts.IsTerminating(pod) && Context.Options.EnableProvisioning)
                    {
                        MarkDirty(ProvisionKey);
                    }
                }
                else if (Context.Options.EmptyNodeTtl is not null)
                {
                    MarkDirty(NodePrefix + pod.Spec.NodeName);
                }

                break;
        }
    }

    private void OnNodeChange(ClusterChangeType type, V1Node node)
    {
        var name = node.Metadata.Name;
        if (type == ClusterChangeType.Deleted)
        {
            if (_nodes.Remove(name, out var gone))
            {
                gone.DeletedAt = Context.Now;
                _retired.Add(gone);
            }

            return;
        }

        if (!_nodes.ContainsKey(name))
        {
            var pool = node.GetLabel(_profile.PoolLabelKey) is { } poolName ? _pools.GetValueOrDefault(poolName) : null;
            var tracked = new TrackedNode(name, pool, node.Metadata.CreationTimestamp ?? Context.Now, ZoneOf(node));
            _nodes[name] = tracked;
            if (pool is { Options.CapacityType: NodeCapacityType.Spot, Options.InterruptionsPerNodeHour: > 0 } spot)
            {
                var hours = -Math.Log(1 - Context.Random.NextDouble()) / spot.Options.InterruptionsPerNodeHour;
                Context.Timers.Schedule(this, RandomInterruptionPrefix + name, tracked.CreatedAt + TimeSpan.FromHours(Math.Min(hours, 1e6)));
            }
        }

        MarkDirty(NodePrefix + name);
    }

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (key == InitKey)
        {
            await EnsureCloudResourcesAsync(cancellationToken).ConfigureAwait(false);
            await CreateInitialNodesAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (await ReconcileCloudKeyAsync(key, cancellationToken).ConfigureAwait(false))
        {
            // A key of the cloud's custom resources or of an interruption request.
        }
        else if (key == ProvisionKey)
        {
            Plan();
        }
        else if (key.StartsWith(LaunchPrefix, StringComparison.Ordinal))
        {
            await FinishLaunchAsync(int.Parse(key.AsSpan(LaunchPrefix.Length), System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }
        else if (key.StartsWith(ReclaimPrefix, StringComparison.Ordinal))
        {
            Reclaim(key[ReclaimPrefix.Length..]);
        }
        else if (key.StartsWith(RandomInterruptionPrefix, StringComparison.Ordinal))
        {
            var name = key[RandomInterruptionPrefix.Length..];
            if (Context.State.GetNode(name) is not null)
            {
                Interrupt(name);
            }
        }
        else if (key.StartsWith(NodePrefix, StringComparison.Ordinal))
        {
            ReconcileNode(key[NodePrefix.Length..]);
        }
    }

    // ---- public operations (any thread) ----

    /// <summary>Starts a spot interruption notice on the node; false when one is already running.</summary>
    public bool Interrupt(string nodeName)
    {
        var node = Context.State.GetNode(nodeName) ?? throw new ArgumentException($"node \"{nodeName}\" does not exist", nameof(nodeName));
        var now = Context.Now;
        lock (Context.State.Sync)
        {
            if (!_nodes.TryGetValue(nodeName, out var tracked))
            {
                tracked = new TrackedNode(nodeName, null, node.Metadata.CreationTimestamp ?? now, ZoneOf(node));
                _nodes[nodeName] = tracked;
            }

            if (tracked.Pool is { Options.CapacityType: NodeCapacityType.OnDemand } pool)
            {
                throw new ArgumentException($"node \"{nodeName}\" belongs to on-demand pool \"{pool.Options.Name}\"; only spot nodes are interrupted", nameof(nodeName));
            }

            if (tracked.ReclaimAt is not null)
            {
                return false;
            }

            tracked.ReclaimAt = now + Context.Options.InterruptionNotice;
            _statistics = _statistics with { Interruptions = _statistics.Interruptions + 1 };
            Context.Timers.Schedule(this, ReclaimPrefix + nodeName, tracked.ReclaimAt.Value);
        }

        var taint = _profile.InterruptionTaint;
        taint.TimeAdded = now;
        var cordon = _profile.CordonOnInterruption;
        Context.Api.Mutate<V1Node>(null, nodeName, n =>
        {
            n.Spec ??= new V1NodeSpec();
            n.Spec.Taints ??= [];
            var changed = false;
            if (!n.Spec.Taints.Any(t => t.Key == taint.Key && t.Effect == taint.Effect))
            {
                n.Spec.Taints.Add(taint);
                changed = true;
            }

            if (cordon && n.Spec.Unschedulable != true)
            {
                n.Spec.Unschedulable = true;
                changed = true;
            }

            return changed;
        });
        return true;
    }

    public void StartOutage(string poolName, TimeSpan? duration)
    {
        var pool = RequirePool(poolName);
        var now = Context.Now;
        lock (Context.State.Sync)
        {
            pool.OutageUntil = duration is { } d ? now + d : DateTime.MaxValue;
            MarkDirty(StatusKey);
            if (duration is not null)
            {
                Context.Timers.Schedule(this, ProvisionKey, pool.OutageUntil.Value);
                Context.Timers.Schedule(this, StatusKey, pool.OutageUntil.Value);
            }
        }
    }

    public void EndOutage(string poolName)
    {
        var pool = RequirePool(poolName);
        lock (Context.State.Sync)
        {
            pool.OutageUntil = null;
            MarkDirty(ProvisionKey);
            MarkDirty(StatusKey);
        }
    }

    public bool IsInOutage(string poolName)
    {
        var pool = RequirePool(poolName);
        lock (Context.State.Sync)
        {
            return pool.InOutage(Context.Now);
        }
    }

    public async Task<IReadOnlyList<string>> AddNodesAsync(string poolName, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var pool = RequirePool(poolName);
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            names.Add(await CreateNodeAsync(pool, zone: null, cancellationToken).ConfigureAwait(false));
            lock (Context.State.Sync)
            {
                _statistics = _statistics with { NodesAdded = _statistics.NodesAdded + 1 };
            }
        }

        return names;
    }

    public CostReport Cost()
    {
        lock (Context.State.Sync)
        {
            var now = Context.Now;
            var perPool = new List<PoolCost>();
            double totalHours = 0;
            decimal total = 0, spot = 0, onDemand = 0;
            foreach (var group in _nodes.Values.Concat(_retired).Where(n => n.Pool is not null).GroupBy(n => n.Pool!))
            {
                var hours = group.Sum(n => Math.Max(0, ((n.DeletedAt ?? now) - n.CreatedAt).TotalHours));
                var cost = decimal.Round((decimal)hours * group.Key.Options.HourlyPrice, 6);
                perPool.Add(new PoolCost(group.Key.Options.Name, group.Key.Options.CapacityType, group.Key.Options.HourlyPrice, hours, cost,
                    group.Count(n => n.DeletedAt is null)));
                totalHours += hours;
                total += cost;
                if (group.Key.Options.CapacityType == NodeCapacityType.Spot)
                {
                    spot += cost;
                }
                else
                {
                    onDemand += cost;
                }
            }

            foreach (var pool in _pools.Values.Where(p => !perPool.Any(c => c.Pool == p.Options.Name)))
            {
                perPool.Add(new PoolCost(pool.Options.Name, pool.Options.CapacityType, pool.Options.HourlyPrice, 0, 0, 0));
            }

            return new CostReport(total, spot, onDemand, totalHours, [.. perPool.OrderBy(p => p.Pool, StringComparer.Ordinal)]);
        }
    }

    public string? PoolOf(string nodeName)
    {
        lock (Context.State.Sync)
        {
            return _nodes.TryGetValue(nodeName, out var tracked) ? tracked.Pool?.Options.Name : null;
        }
    }

    // ---- reconcilers ----

    private async Task CreateInitialNodesAsync(CancellationToken cancellationToken)
    {
        foreach (var pool in _pools.Values.ToList())
        {
            int existing;
            lock (Context.State.Sync)
            {
                existing = _nodes.Values.Count(n => n.Pool == pool);
            }

            for (var i = existing; i < pool.Options.InitialNodes; i++)
            {
                await CreateNodeAsync(pool, zone: null, cancellationToken).ConfigureAwait(false);
                lock (Context.State.Sync)
                {
                    _statistics = _statistics with { NodesAdded = _statistics.NodesAdded + 1 };
                }
            }
        }
    }

    /// <summary>Launches nodes for unschedulable pods that in-flight launches will not already host.</summary>
    private void Plan()
    {
        if (!Context.Options.EnableProvisioning)
        {
            return;
        }

        var pending = Context.State.UnboundPods()
            .Where(p => PodFacts.IsUnschedulable(p.Pod) && !PodFacts.IsTerminating(p.Pod) && !PodFacts.IsFinished(p.Pod))
            .OrderBy(p => p.Pod.Metadata.CreationTimestamp).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var now = Context.Now;
        lock (Context.State.Sync)
        {
            var planned = _launches.Values.Select(l => new PlannedNode(l.Template)).ToList();
            foreach (var entry in pending)
            {
                var spec = entry.Pod.Spec;
                var placed = planned.FirstOrDefault(v => NodeFit.Reasons(spec, entry.Requests, v.Template, v.Used).Count == 0);
                if (placed is not null)
                {
                    placed.Used += entry.Requests;
                    continue;
                }

                var launch = ChooseLaunch(entry, now);
                if (launch is null)
                {
                    continue;
                }

                _launches[launch.Id] = launch;
                MarkDirty(StatusKey);
                Context.Timers.Schedule(this, LaunchPrefix + launch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), launch.DueAt);
                planned.Add(new PlannedNode(launch.Template) { Used = entry.Requests });
            }
        }
    }

    // Cheapest pool (then name) not in outage, below its maximum, whose node would host the pod; least used zone first.
    private Launch? ChooseLaunch(PodEntry entry, DateTime now)
    {
        foreach (var pool in _pools.Values.OrderBy(p => p.Options.HourlyPrice).ThenBy(p => p.Options.Name, StringComparer.Ordinal))
        {
            if (pool.InOutage(now) || !pool.LaunchAllowed)
            {
                continue;
            }

            var live = _nodes.Values.Count(n => n.Pool == pool && n.ReclaimAt is null);
            var inflight = _launches.Values.Where(l => l.Pool == pool).ToList();
            if (live + inflight.Count >= pool.EffectiveMaxNodes)
            {
                continue;
            }

            var zones = pool.Zones
                .OrderBy(z => _nodes.Values.Count(n => n.Pool == pool && n.Zone == z) + inflight.Count(l => l.Zone == z))
                .ThenBy(z => z, StringComparer.Ordinal);
            foreach (var zone in zones)
            {
                var template = NodeFactory.Build(_profile, pool.Options, "provisioning", zone, 0, "provisioning", now);
                if (NodeFit.Reasons(entry.Pod.Spec, entry.Requests, template, ResourceAmounts.Zero).Count == 0)
                {
                    return new Launch(++_nextLaunchId, pool, zone, now + Context.Options.ProvisioningDelay, template);
                }
            }
        }

        return null;
    }

    private async Task FinishLaunchAsync(int id, CancellationToken cancellationToken)
    {
        Launch? launch;
        bool failed;
        lock (Context.State.Sync)
        {
            if (!_launches.TryGetValue(id, out launch))
            {
                return;
            }

            if (launch.DueAt > Context.Now)
            {
                Context.Timers.Schedule(this, LaunchPrefix + id.ToString(System.Globalization.CultureInfo.InvariantCulture), launch.DueAt);
                return;
            }

            _launches.Remove(id);
            MarkDirty(StatusKey);
            failed = launch.Pool.InOutage(Context.Now) || !launch.Pool.LaunchAllowed;
            if (failed)
            {
                // Insufficient capacity: the pods stay pending and the next plan skips this pool.
                _statistics = _statistics with { FailedLaunches = _statistics.FailedLaunches + 1 };
                MarkDirty(ProvisionKey);
            }
        }

        if (failed)
        {
            return;
        }

        await CreateNodeAsync(launch.Pool, launch.Zone, cancellationToken).ConfigureAwait(false);
        lock (Context.State.Sync)
        {
            _statistics = _statistics with { NodesProvisioned = _statistics.NodesProvisioned + 1 };
            MarkDirty(ProvisionKey);
        }
    }

    private void Reclaim(string nodeName)
    {
        lock (Context.State.Sync)
        {
            if (!_nodes.TryGetValue(nodeName, out var tracked) || tracked.ReclaimAt is not { } due)
            {
                return;
            }

            if (due > Context.Now)
            {
                Context.Timers.Schedule(this, ReclaimPrefix + nodeName, due);
                return;
            }
        }

        var disrupted = 0;
        foreach (var entry in Context.State.PodsOnNode(nodeName))
        {
            if (PodFacts.IsTerminating(entry.Pod) || PodFacts.IsFinished(entry.Pod))
            {
                continue;
            }

            disrupted++;
            try
            {
                Context.Api.Evict(entry.Pod.Metadata.NamespaceProperty, entry.Pod.Metadata.Name);
            }
            catch (ApiException ex) when (ex.StatusCode is 404 or 429)
            {
                // Refused or gone: the machine is reclaimed regardless, and the pod goes with its node.
            }
        }

        try
        {
            Context.Api.Delete<V1Node>(null, nodeName);
        }
        catch (ApiException ex) when (ex.StatusCode == 404)
        {
            // Someone removed it first.
        }

        lock (Context.State.Sync)
        {
            _statistics = _statistics with
            {
                NodesReclaimed = _statistics.NodesReclaimed + 1,
                PodsDisruptedByInterruptions = _statistics.PodsDisruptedByInterruptions + disrupted,
            };
        }
    }

    private void ReconcileNode(string nodeName)
    {
        var node = Context.State.GetNode(nodeName);
        if (node is null)
        {
            return;
        }

        SyncUnschedulableTaint(node);
        ScaleInIfEmpty(node);
    }

    // The node lifecycle controller keeps node.kubernetes.io/unschedulable:NoSchedule in step with spec.unschedulable.
    private void SyncUnschedulableTaint(V1Node node)
    {
        var cordoned = node.Spec?.Unschedulable == true;
        var tainted = node.Spec?.Taints?.Any(t => t.Key == NodeFit.UnschedulableTaintKey && t.Effect == TolerationMatcher.NoSchedule) == true;
        if (cordoned == tainted)
        {
            return;
        }

        var now = Context.Now;
        Context.Api.Mutate<V1Node>(null, node.Metadata.Name, n =>
        {
            n.Spec ??= new V1NodeSpec();
            var isCordoned = n.Spec.Unschedulable == true;
            var taints = n.Spec.Taints ?? [];
            var has = taints.Any(t => t.Key == NodeFit.UnschedulableTaintKey && t.Effect == TolerationMatcher.NoSchedule);
            if (isCordoned == has)
            {
                return false;
            }

            if (isCordoned)
            {
                taints.Add(new V1Taint { Key = NodeFit.UnschedulableTaintKey, Effect = TolerationMatcher.NoSchedule, TimeAdded = now });
            }
            else
            {
                taints = [.. taints.Where(t => !(t.Key == NodeFit.UnschedulableTaintKey && t.Effect == TolerationMatcher.NoSchedule))];
            }

            n.Spec.Taints = taints.Count == 0 ? null : taints;
            return true;
        });
    }

    private void ScaleInIfEmpty(V1Node node)
    {
        if (Context.Options.EmptyNodeTtl is not { } ttl)
        {
            return;
        }

        var name = node.Metadata.Name;
        var busy = Context.State.PodsOnNode(name).Any(p => !PodFacts.IsFinished(p.Pod));
        var now = Context.Now;
        lock (Context.State.Sync)
        {
            if (!_nodes.TryGetValue(name, out var tracked) || tracked.Pool is null || tracked.ReclaimAt is not null)
            {
                return;
            }

            if (busy)
            {
                tracked.EmptySince = null;
                return;
            }

            tracked.EmptySince ??= now;
            var due = tracked.EmptySince.Value + ttl;
            if (due > now)
            {
                Context.Timers.Schedule(this, NodePrefix + name, due);
                return;
            }

            var poolSize = _nodes.Values.Count(n => n.Pool == tracked.Pool && n.ReclaimAt is null);
            if (poolSize <= tracked.Pool.Options.MinNodes)
            {
                return;
            }

            tracked.ReclaimAt = now;
            _statistics = _statistics with { NodesScaledIn = _statistics.NodesScaledIn + 1 };
        }

        Context.Api.Delete<V1Node>(null, name);
    }

    private async Task<string> CreateNodeAsync(PoolRuntime pool, string? zone, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            V1Node node;
            lock (Context.State.Sync)
            {
                var sequence = ++_nextSequence;
                zone ??= pool.Zones
                    .OrderBy(z => _nodes.Values.Count(n => n.Pool == pool && n.Zone == z))
                    .ThenBy(z => z, StringComparer.Ordinal).First();
                var name = _profile.NodeName(pool.Options, sequence, Context.Random);
                node = NodeFactory.Build(_profile, pool.Options, name, zone, sequence, _profile.ProviderId(name, zone, Context.Random), Context.Now);
            }

            try
            {
                var created = await Context.Api.CreateAsync(node, cancellationToken).ConfigureAwait(false);
                return created.Metadata.Name;
            }
            catch (ApiException ex) when (ex.StatusCode == 409 && attempt < 10)
            {
                // A node of that name exists already (added by hand): take the next number.
            }
        }
    }

    private PoolRuntime RequirePool(string poolName) =>
        _pools.GetValueOrDefault(poolName)
        ?? throw new ArgumentException($"unknown node pool \"{poolName}\"; pools: {string.Join(", ", _pools.Keys)}", nameof(poolName));

    private static string? ZoneOf(V1Node node) => node.GetLabel("topology.kubernetes.io/zone");

    private sealed class PoolRuntime(NodePoolOptions options, IReadOnlyList<string> zones)
    {
        public NodePoolOptions Options { get; } = options;

        public IReadOnlyList<string> Zones { get; } = zones;

        public DateTime? OutageUntil { get; set; }

        /// <summary>The pool's limit as its SimulatedPool's <c>spec.maxNodes</c> says (the options' at first).</summary>
        public int MaxNodes { get; set; } = options.MaxNodes;

        /// <summary>What the Karpenter NodePool's <c>spec.limits</c> leave room for; null without limits or NodePool.</summary>
        public int? NodePoolLimit { get; set; }

        /// <summary>False when the pool's NodePool forbids the pool's capacity type (or was deleted): it launches nothing.</summary>
        public bool LaunchAllowed { get; set; } = true;

        /// <summary>Why <see cref="LaunchAllowed"/> is false, for the SimulatedPool status.</summary>
        public string? LaunchBlockedReason { get; set; }

        /// <summary>The last <c>spec.outage</c> seen on the SimulatedPool, so only a change of it starts or ends an outage.</summary>
        public bool? SeenOutageSpec { get; set; }

        public int EffectiveMaxNodes => NodePoolLimit is { } limit ? Math.Min(limit, MaxNodes) : MaxNodes;

        public bool InOutage(DateTime now) => OutageUntil is { } until && now < until;
    }

    private sealed class TrackedNode(string name, PoolRuntime? pool, DateTime createdAt, string? zone)
    {
        public string Name { get; } = name;

        public PoolRuntime? Pool { get; } = pool;

        public DateTime CreatedAt { get; } = createdAt;

        public string? Zone { get; } = zone;

        public DateTime? DeletedAt { get; set; }

        /// <summary>When the node goes away (end of an interruption notice, or now for scale-in).</summary>
        public DateTime? ReclaimAt { get; set; }

        public DateTime? EmptySince { get; set; }
    }

    private sealed record Launch(int Id, PoolRuntime Pool, string Zone, DateTime DueAt, V1Node Template);

    private sealed class PlannedNode(V1Node template)
    {
        public V1Node Template { get; } = template;

        public ResourceAmounts Used { get; set; }
    }
}
