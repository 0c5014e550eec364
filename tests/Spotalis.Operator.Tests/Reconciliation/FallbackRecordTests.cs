using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Core.Capacity;
using Spotalis.Core.Fallback;
using Spotalis.Core.Planning;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Tests.Reconciliation;

/// <summary>Invariant 8: the fallback decision is written to the pods before the pending pod that proves it is evicted.</summary>
public class FallbackRecordTests
{
    [Fact]
    public async Task The_record_comes_first_then_the_pending_pod_is_evicted_and_the_fallback_still_holds_without_it()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 2, spotPercentage: "50", onDemand: 1);
        var pending = cluster.AddPod("api-p", node: null, ageMinutes: 10) with
        {
            CapacityLabel = "spot",
            UnschedulableSince = FakeCluster.Now.AddMinutes(-6),
        };
        cluster.Pods[^1] = pending;
        var actions = new RecordingPodActions();
        var reconciler = new WorkloadReconciler(cluster, actions, ReconcilerOptions.From(SpotalisConfig.Default), new ManualClock(FakeCluster.Now),
            NullLogger.Instance, new OperatorMetrics());

        // 1: spot is unavailable, but nothing records it yet: write the record on every pod, evict nothing.
        var first = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        Assert.Empty(actions.Evicted);
        Assert.Equal(WorkloadState.Fallback, first.Evaluation.State);
        var mark = FallbackMark.Write(FakeCluster.Now.AddMinutes(-1));
        Assert.Equal(mark, actions.Annotations["api-p/" + SpotalisKeys.FallbackSince]);
        Assert.Equal(mark, actions.Annotations["api-d0/" + SpotalisKeys.FallbackSince]);
        Assert.Contains(actions.Events, e => e.Reason == EventReasons.FallbackToOnDemand);

        // 2: the watch shows the record: now the pending spot pod may go, its replacement will be placed on on-demand.
        for (var i = 0; i < cluster.Pods.Count; i++)
        {
            cluster.Pods[i] = cluster.Pods[i] with { FallbackSince = FallbackMark.Parse(mark) };
        }

        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        Assert.Equal(["api-p"], actions.Evicted);

        // 3: the pending pod is gone; the record on the others keeps the workload in fallback, never Balanced.
        cluster.Pods.RemoveAll(p => p.Name == "api-p");
        var third = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        Assert.Equal(WorkloadState.Fallback, third.Evaluation.State);
        Assert.True(third.Evaluation.Fallback!.SpotUnavailable);
        Assert.Single(actions.Events, e => e.Reason == EventReasons.FallbackToOnDemand);
    }
}
