using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Tests.Reconciliation;

/// <summary>Event messages as a user reads them in `kubectl get events`: each thing said once.</summary>
public class EventMessageTests
{
    [Fact]
    public async Task The_Evicted_event_names_the_pod_once_says_where_it_goes_and_why()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
        var actions = new RecordingPodActions();
        var reconciler = new WorkloadReconciler(cluster, actions, ReconcilerOptions.From(SpotalisConfig.Default), new ManualClock(FakeCluster.Now), NullLogger.Instance);

        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        var evicted = Assert.Single(actions.Events, e => e.Reason == EventReasons.Evicted);
        var pod = Assert.Single(actions.Evicted);
        Assert.Matches($@"^Evicted pod {Regex.Escape(pod)} from on-demand to recreate it on spot: it is [^:]+ \(spot \d+/2, on-demand \d+/2\)$", evicted.Message);
        Assert.Equal(1, Regex.Count(evicted.Message, Regex.Escape(pod)));
        Assert.Equal(1, Regex.Count(evicted.Message, "evict", RegexOptions.IgnoreCase));
    }
}
