using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Controllers;
using Spotalis.Simulator.Cluster.Nodes;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster;

/// <summary>
/// The behaviour of a cluster around an <see cref="IClusterApi"/>: the Deployment, ReplicaSet and StatefulSet
/// controllers, the garbage collector, the scheduler, the kubelets and the node pools (provisioning, spot
/// interruptions, capacity outages, cost). Run it in the background with <see cref="RunAsync"/> (real or
/// accelerated time), or drive it deterministically with <see cref="Step"/> after advancing a manual clock.
/// </summary>
public sealed class SimulatedCluster : IDisposable
{
    private const int MaxRoundsPerStep = 2_000;
    private readonly ClusterState _state = new();
    private readonly ControllerContext _context;
    private readonly NodePoolController _nodePools;
    private readonly IReadOnlyList<ClusterController> _controllers;
    private readonly SemaphoreSlim _runGate = new(1, 1);
    private readonly IDisposable _subscription;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    /// <summary>Builds the controllers over <paramref name="api"/> and indexes what it already stores. Nothing runs until <see cref="RunAsync"/> or <see cref="Step"/>.</summary>
    public SimulatedCluster(IClusterApi api, ClusterOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        Options = options ?? new ClusterOptions();
        ClusterOptionsValidator.Validate(Options);
        Api = api;
        _context = new ControllerContext(api, _state, Options, logger ?? NullLogger.Instance);
        var podFactory = new PodFactory();
        _nodePools = new NodePoolController(_context);
        _controllers =
        [
            new GarbageCollector(_context),
            new DeploymentController(_context),
            new ReplicaSetController(_context, podFactory),
            new StatefulSetController(_context, podFactory),
            _nodePools,
            new Scheduler(_context),
            new Kubelet(_context),
        ];

        _subscription = api.Subscribe(OnClusterChange);
        SeedFromApi();
    }

    public IClusterApi Api { get; }

    public ClusterOptions Options { get; }

    /// <summary>The cluster clock (the API's).</summary>
    public TimeProvider Time => Api.Time;

    /// <summary>The node pools as configured.</summary>
    public IReadOnlyList<NodePoolOptions> Pools => _nodePools.Pools;

    /// <summary>Counters: nodes added, provisioned, failed launches, interruptions, reclaimed nodes, scale-in.</summary>
    public ClusterStatistics Statistics => _nodePools.Statistics;

    /// <summary>The earliest pending timer (pod start, end of a notice, a launch...), for a simulation that jumps its clock.</summary>
    public DateTimeOffset? NextWakeUp
    {
        get
        {
            lock (_state.Sync)
            {
                return _context.Timers.NextDue is { } due ? new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)) : null;
            }
        }
    }

    /// <summary>True when no controller has work waiting and no timer is due.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_state.Sync)
            {
                return !HasWorkLocked();
            }
        }
    }

    /// <summary>
    /// Runs every controller until nothing is left to do at the current instant of the clock: due timers fire,
    /// each controller reconciles its dirty keys, and rounds repeat while changes produce more work.
    /// Deterministic for a given sequence of API calls, clock readings and seed. Returns how many keys were reconciled.
    /// </summary>
    public int Step() => StepAsync().GetAwaiter().GetResult();

    /// <inheritdoc cref="Step"/>
    public async Task<int> StepAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _runGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var total = 0;
            for (var round = 0; round < MaxRoundsPerStep; round++)
            {
                lock (_state.Sync)
                {
                    _context.Timers.FireDue(_context.Now);
                    if (!HasWorkLocked())
                    {
                        return total;
                    }
                }

                foreach (var controller in _controllers)
                {
                    total += await controller.RunOnceAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            _context.Logger.ClusterDidNotSettle(MaxRoundsPerStep);
            return total;
        }
        finally
        {
            _runGate.Release();
        }
    }

    /// <summary>
    /// Reacts to every change and timer until cancelled: steps whenever the API reports a change, and at least every
    /// <see cref="ClusterOptions.TickInterval"/> of the cluster clock for timers.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // A fresh wake-up source before each step: changes made during the step trigger the next one at once.
            Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            try
            {
                await StepAsync(cancellationToken).ConfigureAwait(false);
                var next = Volatile.Read(ref _wake).Task;
                if (!next.IsCompleted)
                {
                    await Task.WhenAny(next, Task.Delay(Options.TickInterval, Time, cancellationToken)).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _context.Logger.ClusterLoopFailed(ex);
            }
        }
    }

    /// <summary>
    /// Starts a spot interruption notice on <paramref name="nodeName"/>: the provider's taint now; the pods are evicted
    /// and the node deleted when <see cref="ClusterOptions.InterruptionNotice"/> has passed. False when already interrupted.
    /// Throws <see cref="ArgumentException"/> for an unknown node or a node of an on-demand pool.
    /// </summary>
    public bool Interrupt(string nodeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        var started = _nodePools.Interrupt(nodeName);
        Signal();
        return started;
    }

    /// <summary>The pool cannot launch nodes (insufficient capacity) for <paramref name="duration"/>, or until <see cref="EndOutage"/>.</summary>
    public void StartOutage(string pool, TimeSpan? duration = null)
    {
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), d, "an outage lasts a positive time");
        }

        _nodePools.StartOutage(pool, duration);
        Signal();
    }

    /// <summary>Ends a capacity outage of the pool; pending pods may be provisioned for again.</summary>
    public void EndOutage(string pool)
    {
        _nodePools.EndOutage(pool);
        Signal();
    }

    public bool IsInOutage(string pool) => _nodePools.IsInOutage(pool);

    /// <summary>Adds Ready nodes to a pool at once (no provisioning delay, regardless of MaxNodes). Returns their names.</summary>
    public async Task<IReadOnlyList<string>> AddNodesAsync(string pool, int count = 1, CancellationToken cancellationToken = default)
    {
        var names = await _nodePools.AddNodesAsync(pool, count, cancellationToken).ConfigureAwait(false);
        Signal();
        return names;
    }

    /// <summary>The pool a node belongs to, or null for nodes the pools did not create.</summary>
    public string? PoolOf(string nodeName) => _nodePools.PoolOf(nodeName);

    /// <summary>Node-hours times price for every pool, from each node's creation until its deletion or now.</summary>
    public CostReport GetCost() => _nodePools.Cost();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _subscription.Dispose();
        _runGate.Dispose();
    }

    private void OnClusterChange(ClusterChange change)
    {
        lock (_state.Sync)
        {
            var previous = _state.Apply(change, out var stale);
            if (stale)
            {
                return;
            }

            foreach (var controller in _controllers)
            {
                controller.OnChange(change.Type, change.Object, previous);
            }
        }

        Signal();
    }

    private void Signal() => Volatile.Read(ref _wake).TrySetResult();

    private bool HasWorkLocked()
    {
        if (_context.Timers.NextDue is { } due && due <= _context.Now)
        {
            return true;
        }

        foreach (var controller in _controllers)
        {
            if (controller.HasWork)
            {
                return true;
            }
        }

        return false;
    }

    // Objects stored before we subscribed are indexed and routed as if just added (newer versions win).
    private void SeedFromApi()
    {
        foreach (var type in KindRegistry.All)
        {
            IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items;
            try
            {
                items = TypedApi.For(type).List(Api);
            }
            catch (ApiException)
            {
                continue;
            }

            foreach (var item in items)
            {
                lock (_state.Sync)
                {
                    if (_state.GetByUid(item.Metadata.Uid) is not null)
                    {
                        continue;
                    }

                    _state.Seed(item);
                    foreach (var controller in _controllers)
                    {
                        controller.OnChange(ClusterChangeType.Added, item, null);
                    }
                }
            }
        }

    }
}
