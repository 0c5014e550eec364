using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Leadership;
using Spotalis.Operator.Queue;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// Feeds the work queue from cache changes, timers the reconciles ask for and a periodic resync spread over its
/// interval (<see cref="StaggeredResync"/>), and runs
/// <see cref="ControllerSettings.MaxConcurrentReconciles"/> workers that reconcile one workload at a time each.
/// Runs on every replica (state, metrics); the reconciler disrupts only while <see cref="ILeadership.IsLeader"/>.
/// The host starts it last and stops it first, in its stopping phase while the webhook and the endpoints still
/// answer: it takes no new work and lets in-flight reconciles (and their eviction calls) finish within
/// <see cref="ShutdownGrace"/>.
/// </summary>
public sealed class WorkloadController : BackgroundService, IHostedLifecycleService
{
    /// <summary>How long in-flight reconciles may take to finish on shutdown before they are cancelled.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource _abort = new();
    private readonly ILeadership _leadership;
    private readonly ClusterCache _cache;
    private readonly WorkloadReconciler _reconciler;
    private readonly ControllerSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkQueue<WorkloadRef> _queue;
    private string? _spotNotOffered;
    private int _stopRequested;

    public WorkloadController(ClusterCache cache, WorkloadReconciler reconciler, ControllerSettings settings, ILeadership leadership,
        [FromKeyedServices(OperatorServiceCollectionExtensions.ControllerClock)] TimeProvider time, ILogger<WorkloadController> logger)
    {
        _leadership = leadership;
        _cache = cache;
        _reconciler = reconciler;
        _settings = settings;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue<WorkloadRef>(time);
        _cache.WorkloadChanged += _queue.Add;
        _leadership.StartedLeading += EnqueueAll;
    }

    public override void Dispose()
    {
        _cache.WorkloadChanged -= _queue.Add;
        _leadership.StartedLeading -= EnqueueAll;
        _queue.Dispose();
        _abort.Dispose();
        base.Dispose();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host's stopping phase (before any listener closes): stops as <see cref="StopAsync"/> does.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => StopAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops taking work and waits for in-flight reconciles; cuts them short after <see cref="ShutdownGrace"/>. A second call waits for the first.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0)
        {
            Log.ControllerStopping(_logger);
            _abort.CancelAfter(ShutdownGrace);
        }

        await using var registration = cancellationToken.Register(_abort.Cancel).ConfigureAwait(false);
        await base.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken, _abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before or while syncing.
        }
    }

    /// <summary>Queues every workload in the cache (resync, leadership change).</summary>
    public void EnqueueAll()
    {
        foreach (var workload in _cache.GetWorkloadRefs())
        {
            _queue.Add(workload);
        }
    }

    /// <summary>
    /// Runs until <paramref name="stopping"/> is cancelled, then stops taking work and lets each worker finish the
    /// reconcile (and eviction call) it is in; <paramref name="abort"/> cuts those short if shutdown takes too long.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        await _cache.WaitForSyncAsync(stopping);
        Log.ControllerStarted(_logger, _settings.MaxConcurrentReconciles);
        _spotNotOffered = _reconciler.SpotNotOffered();
        EnqueueAll();
        var workers = Enumerable.Range(0, _settings.MaxConcurrentReconciles).Select(_ => WorkAsync(stopping, abort)).ToList();
        var staggered = new StaggeredResync(_settings.ReconcileInterval, _time, _cache.GetWorkloadRefs, _queue.Add);
        staggered.Ticked += EnqueueAllWhenSpotOfferChanges;
        var resync = staggered.RunAsync(stopping);
        await Task.WhenAll(workers);
        _queue.ShutDown();
        await resync;
    }

    /// <summary>Whether spot can be offered at all changes every workload's desired split (invariant 9): all look again.</summary>
    private void EnqueueAllWhenSpotOfferChanges()
    {
        var now = _reconciler.SpotNotOffered();
        if (now != _spotNotOffered)
        {
            _spotNotOffered = now;
            EnqueueAll();
        }
    }

    private async Task WorkAsync(CancellationToken stopping, CancellationToken abort)
    {
        while (!stopping.IsCancellationRequested)
        {
            WorkloadRef key;
            try
            {
                key = await _queue.GetAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }

            try
            {
                var result = await _reconciler.ReconcileAsync(key, abort);
                if (WorkloadRequeue.Apply(_queue, key, result) is { } retry)
                {
                    Log.ReconcileRetry(_logger, key, retry);
                }
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }
}
