using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Leadership;

/// <summary>
/// Leader election over a coordination.k8s.io Lease. Only the leader evicts and annotates; followers keep their
/// caches warm and take over once the lease expires, or within their retry period when the leader releases it on a
/// graceful stop. With election disabled this replica always leads. As a hosted service it starts campaigning with
/// the host and, in the host's stopping phase (while the webhook still answers), releases the Lease; the host stops
/// the workload controller first, so no eviction is in flight when a follower takes over.
/// </summary>
public sealed class LeadershipService : BackgroundService, ILeadership, IHostedLifecycleService
{
    private readonly IKubernetes _client;
    private readonly LeaderElectionSettings _settings;
    private readonly OperatorMetrics _metrics;
    private readonly ILogger _logger;
    private volatile bool _isLeader;

    public LeadershipService(IKubernetes client, LeaderElectionSettings settings, string identity, OperatorMetrics metrics, ILogger<LeadershipService> logger)
    {
        _client = client;
        _settings = settings;
        Identity = identity;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Raised when this replica becomes the leader.</summary>
    public event Action? StartedLeading;

    public string Identity { get; }

    public bool IsLeader => _isLeader;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host's stopping phase: gives up leadership and releases the Lease before any listener closes (a second <see cref="BackgroundService.StopAsync"/> returns at once).</summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => StopAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Campaigns until the host stops this service, then gives up leadership and releases the Lease if held.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    /// <summary>Campaigns and holds leadership until cancelled, then releases the lease if held.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!_settings.Enabled)
        {
            SetLeader(true);
            return;
        }

        var leaseLock = new LeaseLock(_client, _settings.LeaseNamespace, _settings.LeaseName, Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = _settings.LeaseDuration,
            RenewDeadline = _settings.RenewDeadline,
            RetryPeriod = _settings.RetryPeriod,
        });
        // The elector reports "stopped leading" as it is cancelled, before this method can look: remember having led.
        var led = false;
        elector.OnStartedLeading += () =>
        {
            led = true;
            Log.BecameLeader(_logger, Identity, _settings.LeaseNamespace, _settings.LeaseName);
            SetLeader(true);
        };
        elector.OnStoppedLeading += () =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Log.StoppedLeading(_logger, Identity);
            }
            else
            {
                Log.LostLeadership(_logger, Identity);
            }

            SetLeader(false);
        };
        elector.OnError += e => Log.ElectionAttemptFailed(_logger, e);
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        SetLeader(false);
        if (led)
        {
            // Releases only if this replica still holds the Lease (a lost Lease is left to its new holder).
            await ReleaseAsync(leaseLock);
        }
    }

    private async Task ReleaseAsync(LeaseLock leaseLock)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var record = await leaseLock.GetAsync(timeout.Token);
            if (record.HolderIdentity != Identity)
            {
                return;
            }

            record.HolderIdentity = "";
            record.LeaseDurationSeconds = 1;
#pragma warning disable RS0030 // Lease times are read by the other replicas: wall-clock time, never a test clock.
            record.RenewTime = DateTime.UtcNow;
#pragma warning restore RS0030
            await leaseLock.UpdateAsync(record, timeout.Token);
            Log.LeaseReleased(_logger, Identity);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.LeaseNotReleased(_logger, e);
        }
    }

    private void SetLeader(bool leader)
    {
        var changed = _isLeader != leader;
        _isLeader = leader;
        _metrics.Leader.Set(leader ? 1 : 0);
        if (changed && leader)
        {
            StartedLeading?.Invoke();
        }
    }
}
