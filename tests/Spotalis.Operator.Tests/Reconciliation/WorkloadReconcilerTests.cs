using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Leadership;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Tests.Reconciliation;

public class WorkloadReconcilerTests
{
    private static (WorkloadReconciler Reconciler, RecordingPodActions Actions, OperatorMetrics Metrics) Create(
        FakeCluster cluster, SpotalisConfig? config = null, ILeadership? leadership = null)
    {
        var actions = new RecordingPodActions();
        var metrics = new OperatorMetrics();
        var options = ReconcilerOptions.From((config ?? SpotalisConfig.Default) with { });
        var reconciler = new WorkloadReconciler(cluster, actions, options, new ManualClock(FakeCluster.Now), NullLogger.Instance, metrics, leadership);
        return (reconciler, actions, metrics);
    }

    [Fact]
    public async Task Drift_toward_spot_evicts_exactly_one_on_demand_pod_and_records_an_Evicted_event()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        var (reconciler, actions, metrics) = Create(cluster);

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Single(actions.Evicted);
        Assert.StartsWith("api-d", actions.Evicted[0], StringComparison.Ordinal);
        Assert.Contains(actions.Events, e => e.Reason == EventReasons.Evicted && e.Type == EventType.Normal && e.Message.Contains(actions.Evicted[0], StringComparison.Ordinal));
        Assert.Equal(ReconcileOutcome.Requeue, result.Result);
        Assert.Equal(1, metrics.Evictions.WithLabels(EvictionResults.Evicted).Value);
        Assert.Equal(2, metrics.DesiredReplicas.WithLabels("shop", "api", "Deployment", "spot").Value);
    }

    [Fact]
    public async Task A_second_reconcile_right_after_an_eviction_waits_for_the_cooldown()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        var (reconciler, actions, _) = Create(cluster);

        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        // The watch has reported the eviction and a Ready replacement: only the cooldown holds the next move back.
        cluster.Pods.RemoveAll(p => p.Name == actions.Evicted[0]);
        cluster.AddPod("api-new", "spot-1", ageMinutes: 0);
        var second = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Single(actions.Evicted);
        Assert.Equal(PlanOutcome.Cooldown, second.Evaluation.Plan!.Outcome);
        Assert.NotNull(second.RequeueAfter);
    }

    [Fact]
    public async Task No_second_eviction_while_the_cache_has_not_yet_reported_the_first_even_after_the_cooldown()
    {
        // The watch is behind (reconnecting): long after the cooldown the cache still shows the evicted pod Ready.
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        var clock = new ManualClock(FakeCluster.Now);
        var actions = new RecordingPodActions();
        var reconciler = new WorkloadReconciler(cluster, actions, ReconcilerOptions.From(SpotalisConfig.Default), clock, NullLogger.Instance);

        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        var evicted = Assert.Single(actions.Evicted);
        clock.Now += TimeSpan.FromMinutes(10);
        var behind = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Single(actions.Evicted);
        Assert.Equal(PlanOutcome.DisruptionInFlight, behind.Evaluation.Plan!.Outcome);

        // The watch catches up: the pod is gone and its replacement is Ready on spot. The next move may start.
        cluster.Pods.RemoveAll(p => p.Name == evicted);
        cluster.AddPod("api-new", "spot-1", ageMinutes: -5);
        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Equal(2, actions.Evicted.Count);
        Assert.NotEqual(evicted, actions.Evicted[1]);
    }

    [Fact]
    public async Task Invalid_annotation_means_no_eviction_a_warning_naming_the_key_and_a_policy_error_metric()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "abc", onDemand: 4);
        var (reconciler, actions, metrics) = Create(cluster);

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Empty(actions.DeletionCosts);
        var warning = Assert.Single(actions.Events);
        Assert.Equal(EventReasons.InvalidPolicy, warning.Reason);
        Assert.Equal(EventType.Warning, warning.Type);
        Assert.Contains(SpotalisKeys.SpotPercentage, warning.Message, StringComparison.Ordinal);
        Assert.Equal(WorkloadState.InvalidPolicy, result.Evaluation.State);
        Assert.Equal(0, result.Evaluation.Desired.Spot);
        Assert.Equal(1, metrics.PolicyErrors.WithLabels("shop", "api", SpotalisKeys.SpotPercentage).Value);
    }

    [Theory]
    [InlineData("True")]
    [InlineData("yes")]
    [InlineData("")]
    public async Task Unreadable_opt_in_label_means_no_eviction_an_InvalidPolicy_warning_and_a_policy_error_metric(string value)
    {
        // Drifted toward spot: a managed workload would have a pod evicted.
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        cluster.Workload = cluster.Workload! with { Labels = new Dictionary<string, string> { [SpotalisKeys.Enabled] = value } };
        var (reconciler, actions, metrics) = Create(cluster);

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Empty(actions.DeletionCosts);
        var warning = Assert.Single(actions.Events);
        Assert.Equal(EventReasons.InvalidPolicy, warning.Reason);
        Assert.Equal(EventType.Warning, warning.Type);
        Assert.Contains(SpotalisKeys.Enabled, warning.Message, StringComparison.Ordinal);
        Assert.Equal(WorkloadState.InvalidPolicy, result.Evaluation.State);
        Assert.False(result.Evaluation.Policy!.Policy.Enabled);
        Assert.Equal(1, metrics.PolicyErrors.WithLabels("shop", "api", SpotalisKeys.Enabled).Value);
    }

    [Fact]
    public async Task Unreadable_opt_in_on_the_namespace_is_reported_unless_the_workload_label_decides()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        cluster.Workload = cluster.Workload! with { Labels = new Dictionary<string, string>() };
        cluster.NamespaceLabels[SpotalisKeys.Enabled] = "yes";
        var (reconciler, actions, metrics) = Create(cluster);

        var reported = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Equal(WorkloadState.InvalidPolicy, reported.Evaluation.State);
        Assert.Equal(EventReasons.InvalidPolicy, Assert.Single(actions.Events).Reason);
        Assert.Equal(1, metrics.PolicyErrors.WithLabels("shop", "api", SpotalisKeys.Enabled).Value);

        // A readable workload label wins over the namespace; its "false" opts out quietly.
        cluster.Workload = cluster.Workload with { Labels = new Dictionary<string, string> { [SpotalisKeys.Enabled] = "false" } };
        Assert.False(reconciler.Evaluate(FakeCluster.Api).Managed);
        Assert.Empty(actions.Evicted);
    }

    [Fact]
    public async Task Read_only_mode_reports_WouldEvict_once_and_never_writes_to_pods()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        var (reconciler, actions, metrics) = Create(cluster, SpotalisConfig.Default with { ReadOnly = true });

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Empty(actions.DeletionCosts);
        var wouldEvict = Assert.Single(actions.Events);
        Assert.Equal(EventReasons.WouldEvict, wouldEvict.Reason);
        Assert.Equal(WorkloadState.ReadOnly, result.Evaluation.State);
        Assert.Equal(1, metrics.Evictions.WithLabels(EvictionResults.DryRun).Value);
    }

    [Fact]
    public async Task A_429_from_the_eviction_api_is_reported_as_blocked_and_retried_later()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        var (reconciler, actions, metrics) = Create(cluster);
        actions.NextEviction = EvictionOutcome.BlockedByPdb;

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Equal(ReconcileOutcome.Requeue, result.Result);
        Assert.NotNull(result.RequeueAfter);
        Assert.Contains(actions.Events, e => e.Reason == EventReasons.EvictionBlocked && e.Type == EventType.Warning);
        Assert.Equal(1, metrics.Evictions.WithLabels(EvictionResults.BlockedPdb).Value);
        Assert.Equal(1, metrics.Workloads.WithLabels(nameof(WorkloadState.BlockedByPdb)).Value);
    }

    [Fact]
    public async Task A_follower_computes_metrics_but_never_writes()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        var (reconciler, actions, metrics) = Create(cluster, leadership: FixedLeadership.Follower);

        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Empty(actions.Events);
        Assert.Empty(actions.DeletionCosts);
        Assert.Equal(4, metrics.ActualReplicas.WithLabels("shop", "api", "Deployment", "on-demand").Value);
    }

    [Fact]
    public async Task The_floor_is_never_broken_to_move_pods_to_spot()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 2, spotPercentage: "100", minOnDemand: "2", onDemand: 2);
        var (reconciler, actions, _) = Create(cluster);

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Equal(WorkloadState.Balanced, result.Evaluation.State);
    }

    [Fact]
    public async Task A_closed_disruption_window_blocks_evictions_and_schedules_a_look_when_it_opens()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        // Opens at 12:00 for one hour; the fake clock says midnight.
        var config = SpotalisConfig.Default with { DisruptionWindow = new DisruptionWindowSettings { Schedule = "0 12 * * *", Duration = TimeSpan.FromHours(1) } };
        var (reconciler, actions, _) = Create(cluster, config);

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Equal(WorkloadState.WaitingForWindow, result.Evaluation.State);
        Assert.Equal(FakeCluster.Now.AddHours(12), result.Evaluation.NextCheckAt);
    }

    [Fact]
    public async Task Rollout_in_progress_pauses_rebalancing()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        cluster.Workload = cluster.Workload! with { RolloutInProgress = true };
        var (reconciler, actions, _) = Create(cluster);

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.Evicted);
        Assert.Equal(PlanOutcome.RolloutInProgress, result.Evaluation.Plan!.Outcome);
    }

    [Fact]
    public async Task Deletion_costs_make_a_scale_down_remove_the_over_represented_type_first()
    {
        // 7 spot / 3 on-demand at 70 %, floor 1: scaling to 4 must leave 2 spot / 2 on-demand.
        var cluster = FakeCluster.WithDeployment(replicas: 10, spotPercentage: "70", minOnDemand: "1", onSpot: 7, onDemand: 3);
        var (reconciler, actions, _) = Create(cluster);

        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Equal(10, actions.DeletionCosts.Count);
        var removedFirst = actions.DeletionCosts.OrderBy(p => p.Value).Take(6).Select(p => p.Key).ToList();
        Assert.Equal(5, removedFirst.Count(name => name.StartsWith("api-s", StringComparison.Ordinal)));
        Assert.Equal(1, removedFirst.Count(name => name.StartsWith("api-d", StringComparison.Ordinal)));
        Assert.Empty(actions.Evicted);
    }

    [Fact]
    public async Task Deletion_costs_already_in_place_are_not_rewritten()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 2, spotPercentage: "50", onSpot: 1, onDemand: 1);
        var (reconciler, actions, _) = Create(cluster);
        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        var written = new Dictionary<string, int>(actions.DeletionCosts);
        cluster.Pods.Clear();
        cluster.AddPod("api-s0", "spot-1", ageMinutes: 10, deletionCost: written["api-s0"]);
        cluster.AddPod("api-d0", "od-1", ageMinutes: 10, deletionCost: written["api-d0"]);
        actions.DeletionCosts.Clear();

        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Empty(actions.DeletionCosts);
    }

    [Fact]
    public void A_workload_without_the_opt_in_label_is_not_managed()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        cluster.Workload = cluster.Workload! with { Labels = new Dictionary<string, string>() };
        var (reconciler, _, _) = Create(cluster);

        var evaluation = reconciler.Evaluate(FakeCluster.Api);

        Assert.False(evaluation.Managed);
        Assert.Equal(WorkloadState.Disabled, evaluation.State);
    }

    [Fact]
    public void A_namespace_outside_the_namespace_selector_is_not_managed()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        cluster.NamespaceLabels["team"] = "c";
        var (reconciler, _, _) = Create(cluster, SpotalisConfig.Default with { NamespaceSelector = "team in (a,b)" });

        Assert.False(reconciler.Evaluate(FakeCluster.Api).Managed);
        cluster.NamespaceLabels["team"] = "a";
        Assert.True(reconciler.Evaluate(FakeCluster.Api).Managed);
    }

    [Fact]
    public void Pods_of_an_old_revision_do_not_count_toward_the_split()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 2, spotPercentage: "50", onSpot: 1, onDemand: 1);
        cluster.AddPod("api-old", "spot-1", revision: "rev0");
        var (reconciler, _, _) = Create(cluster);

        var evaluation = reconciler.Evaluate(FakeCluster.Api);

        Assert.Equal(1, evaluation.Actual.Spot);
        Assert.Equal(1, evaluation.Actual.OnDemand);
    }

    [Fact]
    public void A_leaving_node_counts_its_pods_as_gone()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 2, spotPercentage: "50", onSpot: 1, onDemand: 1);
        cluster.Nodes[0] = cluster.Nodes[0] with { Unschedulable = true };
        var (reconciler, _, _) = Create(cluster);

        var evaluation = reconciler.Evaluate(FakeCluster.Api);

        Assert.Contains(evaluation.Pods, p => p.Name == "api-s0" && p.NodeLeaving);
    }
}
