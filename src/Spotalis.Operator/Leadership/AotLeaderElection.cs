#if SPOTALIS_AOT
using System.Net;
using k8s.Autorest;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

// KubernetesClient.Aot (the NativeAOT flavour of KubernetesClient) has no leader election. This is the subset
// LeadershipService uses, with KubernetesClient's names and the client-go algorithm: acquire the Lease when it is
// free or expired (renewTime + leaseDurationSeconds in the past), renew it every retry period while leading, and stop
// leading when no renewal succeeded within the renew deadline. Compiled only into the NativeAOT build.
namespace k8s.LeaderElection
{
    /// <summary>What a Lease says about its holder.</summary>
    public sealed class LeaderElectionRecord
    {
        public string? HolderIdentity { get; set; }

        public int LeaseDurationSeconds { get; set; }

        public DateTime? AcquireTime { get; set; }

        public DateTime? RenewTime { get; set; }

        public int LeaderTransitions { get; set; }
    }

    /// <summary>Timings of an election over one lock.</summary>
    public sealed class LeaderElectionConfig(LeaseLock leaseLock)
    {
        public LeaseLock Lock { get; } = leaseLock;

        public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

        public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

        public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>The clock renewals and expiries are measured with.</summary>
        public TimeProvider Clock { get; set; } = TimeProvider.System;
    }

    /// <summary>Campaigns for a Lease and holds it while renewals succeed.</summary>
    public sealed class LeaderElector(LeaderElectionConfig config) : IDisposable
    {
        private DateTime _observedRenew = DateTime.MinValue;
        private string? _observedHolder;

        public event Action? OnStartedLeading;

        public event Action? OnStoppedLeading;

        public event Action<Exception>? OnError;

        /// <summary>Campaigns, leads until a renewal deadline passes, and campaigns again; until cancelled.</summary>
        public async Task RunAndTryToHoldLeadershipForeverAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                while (!await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
                {
                    await Task.Delay(config.RetryPeriod, cancellationToken).ConfigureAwait(false);
                }

                OnStartedLeading?.Invoke();
                try
                {
                    var lastRenewed = config.Clock.GetUtcNow().UtcDateTime;
                    while (config.Clock.GetUtcNow().UtcDateTime - lastRenewed < config.RenewDeadline)
                    {
                        await Task.Delay(config.RetryPeriod, cancellationToken).ConfigureAwait(false);
                        if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
                        {
                            lastRenewed = config.Clock.GetUtcNow().UtcDateTime;
                        }
                        else if (_observedHolder is { Length: > 0 } holder && holder != config.Lock.Identity)
                        {
                            break;
                        }
                    }
                }
                finally
                {
                    OnStoppedLeading?.Invoke();
                }
            }
        }

        public void Dispose()
        {
        }

        private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
        {
            var now = config.Clock.GetUtcNow().UtcDateTime;
            var wanted = new LeaderElectionRecord
            {
                HolderIdentity = config.Lock.Identity,
                LeaseDurationSeconds = (int)Math.Ceiling(config.LeaseDuration.TotalSeconds),
                AcquireTime = now,
                RenewTime = now,
            };
            try
            {
                LeaderElectionRecord current;
                try
                {
                    current = await config.Lock.GetAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
                {
                    await config.Lock.CreateAsync(wanted, cancellationToken).ConfigureAwait(false);
                    Observe(wanted, now);
                    return true;
                }

                if (current.HolderIdentity != _observedHolder || current.RenewTime != null && current.RenewTime.Value.ToUniversalTime() != _observedRenewTime)
                {
                    Observe(current, now);
                }

                var heldByOther = !string.IsNullOrEmpty(current.HolderIdentity) && current.HolderIdentity != config.Lock.Identity;
                if (heldByOther && _observedRenew.AddSeconds(Math.Max(1, current.LeaseDurationSeconds)) > now)
                {
                    return false;
                }

                if (current.HolderIdentity == config.Lock.Identity)
                {
                    wanted.AcquireTime = current.AcquireTime;
                    wanted.LeaderTransitions = current.LeaderTransitions;
                }
                else
                {
                    wanted.LeaderTransitions = current.LeaderTransitions + 1;
                }

                await config.Lock.UpdateAsync(wanted, cancellationToken).ConfigureAwait(false);
                Observe(wanted, now);
                return true;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or KubernetesException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                OnError?.Invoke(e);
                return false;
            }
        }

        private DateTime? _observedRenewTime;

        // Expiry is judged on this replica's clock from when it saw the record change, as client-go does, so that
        // clock skew between replicas cannot make a live lease look expired.
        private void Observe(LeaderElectionRecord record, DateTime now)
        {
            _observedHolder = record.HolderIdentity;
            _observedRenewTime = record.RenewTime?.ToUniversalTime();
            _observedRenew = now;
        }
    }
}

namespace k8s.LeaderElection.ResourceLock
{
    /// <summary>A coordination.k8s.io/v1 Lease as the election's lock.</summary>
    public sealed class LeaseLock(IKubernetes client, string namespaceName, string name, string identity)
    {
        private V1Lease? _last;

        public string Identity { get; } = identity;

        public async Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(name, namespaceName, cancellationToken: cancellationToken).ConfigureAwait(false);
            _last = lease;
            return new LeaderElectionRecord
            {
                HolderIdentity = lease.Spec?.HolderIdentity,
                LeaseDurationSeconds = lease.Spec?.LeaseDurationSeconds ?? 0,
                AcquireTime = lease.Spec?.AcquireTime,
                RenewTime = lease.Spec?.RenewTime,
                LeaderTransitions = lease.Spec?.LeaseTransitions ?? 0,
            };
        }

        public async Task CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
        {
            _last = await client.CoordinationV1.CreateNamespacedLeaseAsync(
                new V1Lease { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = namespaceName }, Spec = Spec(record) },
                namespaceName,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Replaces the Lease last read (optimistic concurrency on its resourceVersion).</summary>
        public async Task UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
        {
            var last = _last ?? throw new InvalidOperationException("read the Lease before updating it");
            last.Spec = Spec(record);
            _last = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(last, name, namespaceName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        private static V1LeaseSpec Spec(LeaderElectionRecord record) => new()
        {
            HolderIdentity = record.HolderIdentity,
            LeaseDurationSeconds = record.LeaseDurationSeconds,
            AcquireTime = record.AcquireTime,
            RenewTime = record.RenewTime,
            LeaseTransitions = record.LeaderTransitions,
        };
    }
}
#endif
