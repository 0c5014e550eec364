using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Tests.Reconciliation;

/// <summary>The Go release's per-workload and per-namespace disruption windows gate evictions (issue #15).</summary>
public class GoDisruptionWindowReconcileTests
{
    private static (WorkloadReconciler Reconciler, RecordingPodActions Actions) Create(FakeCluster cluster, SpotalisConfig? config = null)
    {
        var actions = new RecordingPodActions();
        var options = ReconcilerOptions.From(config ?? SpotalisConfig.Default);
        return (new WorkloadReconciler(cluster, actions, options, new ManualClock(FakeCluster.Now), NullLogger.Instance, new OperatorMetrics(), null), actions);
    }

    private static FakeCluster WithWindowAnnotations(string schedule, string duration)
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        var annotations = new Dictionary<string, string>(cluster.Workload!.Annotations)
        {
            [SpotalisKeys.DisruptionSchedule] = schedule,
            [SpotalisKeys.DisruptionDuration] = duration,
        };
        cluster.Workload = cluster.Workload with { Annotations = annotations };
        return cluster;
    }

    [Fact]
    public async Task A_closed_workload_window_blocks_evictions_even_when_the_global_window_is_open()
    {
        // The fake clock says midnight UTC; the workload's window opens at 12:00.
        var (reconciler, actions) = Create(WithWindowAnnotations("0 12 * * *", "1h"));

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Equal(WorkloadState.WaitingForWindow, result.Evaluation.State);
        Assert.Equal(FakeCluster.Now.AddHours(12), result.Evaluation.NextCheckAt);
    }

    [Fact]
    public async Task An_open_workload_window_allows_evictions_even_when_the_global_window_is_closed()
    {
        var config = SpotalisConfig.Default with { DisruptionWindow = new DisruptionWindowSettings { Schedule = "0 12 * * *", Duration = TimeSpan.FromHours(1) } };
        var (reconciler, actions) = Create(WithWindowAnnotations("0 0 * * *", "1h"), config);

        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Single(actions.Evicted);
    }

    [Fact]
    public async Task Namespace_label_window_applies_to_a_workload_without_its_own()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        cluster.NamespaceLabels[SpotalisKeys.DisruptionSchedule] = "0 12 * * *";
        cluster.NamespaceLabels[SpotalisKeys.DisruptionDuration] = "1h";
        var (reconciler, actions) = Create(cluster);

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Equal(WorkloadState.WaitingForWindow, result.Evaluation.State);
    }

    [Fact]
    public async Task A_half_set_workload_window_fails_safe_with_no_eviction()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        cluster.Workload = cluster.Workload! with
        {
            Annotations = new Dictionary<string, string>(cluster.Workload.Annotations) { [SpotalisKeys.DisruptionSchedule] = "0 0 * * *" },
        };
        var (reconciler, actions) = Create(cluster);

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Equal(WorkloadState.InvalidPolicy, result.Evaluation.State);
        Assert.Contains(actions.Events, e => e.Reason == EventReasons.InvalidPolicy && e.Message.Contains(SpotalisKeys.DisruptionDuration, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Go_form_percentage_rebalances_like_the_canonical_value()
    {
        var (reconciler, actions) = Create(FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50%", onDemand: 4));

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Single(actions.Evicted);
        Assert.Equal(2, result.Evaluation.Desired.Spot);
    }
}
