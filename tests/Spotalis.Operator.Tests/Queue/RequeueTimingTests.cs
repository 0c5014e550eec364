using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spotalis.Core.Planning;
using Spotalis.Core.Timing;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Queue;
using Spotalis.Operator.Reconciliation;
using Spotalis.Operator.Tests.Reconciliation;

namespace Spotalis.Operator.Tests.Queue;

/// <summary>
/// No work when nothing changes: a Balanced workload comes back only in its resync slot, once per interval; a workload
/// held by its cooldown comes back when the cooldown ends, not before.
/// </summary>
public class RequeueTimingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_balanced_workload_is_not_queued_again_until_its_resync_slot_and_then_once_per_interval()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onSpot: 2, onDemand: 2);
        var time = new FakeTimeProvider(FakeCluster.Now);
        var reconciler = new WorkloadReconciler(cluster, new RecordingPodActions(), ReconcilerOptions.From(SpotalisConfig.Default), time, NullLogger.Instance);
        using var queue = new WorkQueue<WorkloadRef>(time);
        var queuedAt = new List<DateTimeOffset>();
        var resync = new StaggeredResync(Interval, time, () => [FakeCluster.Api], key =>
        {
            lock (queuedAt)
            {
                queuedAt.Add(time.GetUtcNow());
            }

            queue.Add(key);
        });
        using var stop = new CancellationTokenSource();
        var running = resync.RunAsync(stop.Token);

        var result = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        Assert.Equal(WorkloadState.Balanced, result.Evaluation.State);
        Assert.Null(WorkloadRequeue.Apply(queue, FakeCluster.Api, result));

        var slotLength = ResyncSpread.SlotLength(Interval);
        var slot = ResyncSpread.SlotOf(ResyncSpread.Slots(Interval), FakeCluster.Api.Kind, FakeCluster.Api.Namespace, FakeCluster.Api.Name);
        var slotDue = FakeCluster.Now + (slotLength * (slot + 1));
        while (time.GetUtcNow() < slotDue - slotLength)
        {
            time.Advance(slotLength);
            await Task.Yield();
        }

        // Until its slot: nothing queued it (no timer from the Balanced result, no resync burst).
        Assert.Equal(0, queue.Count);
        time.Advance(slotLength);
        await WaitUntilAsync(() => queue.Count == 1);
        Assert.Equal(slotDue, Assert.Single(Snapshot(queuedAt)));

        // Two more intervals: queued exactly once in each.
        for (var i = 0; i < 2 * ResyncSpread.Slots(Interval); i++)
        {
            time.Advance(slotLength);
            var expected = 1 + ((i + 1) / ResyncSpread.Slots(Interval));
            await WaitUntilAsync(() => Snapshot(queuedAt).Count >= expected);
        }

        var times = Snapshot(queuedAt);
        Assert.Equal([slotDue, slotDue + Interval, slotDue + (2 * Interval)], times);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_workload_held_by_its_cooldown_is_queued_when_the_cooldown_ends_and_not_before()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        var time = new FakeTimeProvider(FakeCluster.Now);
        var actions = new RecordingPodActions();
        var config = SpotalisConfig.Default with { Controllers = new ControllerSettings { Cooldown = TimeSpan.FromSeconds(45) } };
        var reconciler = new WorkloadReconciler(cluster, actions, ReconcilerOptions.From(config), time, NullLogger.Instance);
        using var queue = new WorkQueue<WorkloadRef>(time);

        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        var evicted = Assert.Single(actions.Evicted);
        // The watch reports the eviction and a Ready replacement 5 s later: only the cooldown holds the next move back.
        time.Advance(TimeSpan.FromSeconds(5));
        cluster.Pods.RemoveAll(p => p.Name == evicted);
        cluster.AddPod("api-new", "spot-1", ageMinutes: 0);
        var held = await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);
        Assert.Equal(PlanOutcome.Cooldown, held.Evaluation.Plan!.Outcome);
        WorkloadRequeue.Apply(queue, FakeCluster.Api, held);

        // The cooldown runs from the eviction (t=0) to t=45 s: 40 s after this reconcile, plus the due margin.
        time.Advance(TimeSpan.FromSeconds(40) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, queue.Count);
        time.Advance(RequeuePolicy.DueMargin + TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);

        var key = await queue.GetAsync(CancellationToken.None);
        var next = await reconciler.ReconcileAsync(key, CancellationToken.None);
        queue.Done(key);
        Assert.Equal(2, actions.Evicted.Count);
        Assert.Equal(ReconcileOutcome.Requeue, next.Result);
    }

    private static List<DateTimeOffset> Snapshot(List<DateTimeOffset> times)
    {
        lock (times)
        {
            return [.. times];
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(10);
        }
    }
}
