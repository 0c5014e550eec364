using System.Collections.Concurrent;
using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Resilience.Tests.Faults;

/// <summary>
/// Samples the cluster continuously in the background and records every breach of the safety invariants of
/// the workloads it watches: Ready pods below replicas minus the disruption budget, Ready on-demand pods below
/// the floor. Starts from a settled cluster, so every breach is the operator's doing.
/// </summary>
internal sealed class InvariantChecker : IAsyncDisposable
{
    private const string CapacityLabel = "karpenter.sh/capacity-type";
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly Task _loop;
    private long _samples;

    public InvariantChecker(ClusterApi api, IReadOnlyList<WatchedWorkload> workloads)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample(api, workloads);
                Interlocked.Increment(ref _samples);
                try
                {
                    await Task.Delay(20, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public long Samples => Interlocked.Read(ref _samples);

    public IReadOnlyCollection<string> Violations => _violations;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private void Sample(ClusterApi api, IReadOnlyList<WatchedWorkload> workloads)
    {
        var nodes = api.List<V1Node>().ToDictionary(n => n.Metadata.Name, n => FaultEnvironment.Label(n.Metadata.Labels, CapacityLabel));
        foreach (var workload in workloads)
        {
            var ready = api.List<V1Pod>(workload.Namespace)
                .Where(p => FaultEnvironment.Label(p.Metadata.Labels, "app") == workload.Name && FaultEnvironment.IsReady(p))
                .Select(p => p.Spec?.NodeName is { } node ? nodes.GetValueOrDefault(node) : null)
                .ToList();
            var onDemand = ready.Count(c => c == "on-demand");
            if (ready.Count < workload.Replicas - workload.DisruptionBudget)
            {
                _violations.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {workload.Namespace}/{workload.Name}: {ready.Count} Ready < {workload.Replicas} replicas - budget {workload.DisruptionBudget}");
            }

            if (onDemand < workload.MinOnDemand)
            {
                _violations.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {workload.Namespace}/{workload.Name}: {onDemand} Ready on-demand < floor {workload.MinOnDemand}");
            }
        }
    }
}

/// <summary>A workload the checker watches and the bounds it must keep.</summary>
internal sealed record WatchedWorkload(string Namespace, string Name, int Replicas, int MinOnDemand, int DisruptionBudget = 1);
