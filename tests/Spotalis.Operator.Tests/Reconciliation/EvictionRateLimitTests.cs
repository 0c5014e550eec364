using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Core;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Tests.Reconciliation;

public sealed class EvictionRateLimitTests
{
    [Fact]
    public async Task Workloads_refused_by_the_global_limit_spread_their_retries_over_the_time_the_queue_needs()
    {
        var view = new SeveralWorkloads(20);
        using var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        });
        var actions = new RecordingPodActions();
        var reconciler = new WorkloadReconciler(view, actions, ReconcilerOptions.From(SpotalisConfig.Default), new ManualClock(FakeCluster.Now),
            NullLogger.Instance, evictionLimiter: limiter);

        var results = new List<ReconcileResult>();
        foreach (var workload in view.Refs)
        {
            results.Add(await reconciler.ReconcileAsync(workload, CancellationToken.None));
        }

        Assert.Single(actions.Evicted);
        var refused = results.Skip(1).ToList();
        Assert.All(refused, r => Assert.Equal(ReconcileOutcome.Requeue, r.Result));
        for (var i = 0; i < refused.Count; i++)
        {
            // i + 1 workloads are waiting for a token due every second: each retries within 25-75 % of that queue's time, never sooner than the next token.
            var waiting = i + 1;
            var delay = refused[i].RequeueAfter!.Value.TotalSeconds;
            Assert.InRange(delay, Math.Max(1, 0.25 * waiting), Math.Max(1, 0.75 * waiting));
        }
    }

    /// <summary>Several copies of <see cref="FakeCluster"/>'s drifted Deployment, each under its own name.</summary>
    private sealed class SeveralWorkloads : IClusterView
    {
        private readonly Dictionary<WorkloadRef, FakeCluster> _clusters = [];

        public SeveralWorkloads(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onDemand: 4);
                var workload = new WorkloadRef("Deployment", "shop", $"api{i}");
                cluster.Workload = cluster.Workload! with { Ref = workload };
                _clusters[workload] = cluster;
            }
        }

        public IReadOnlyList<WorkloadRef> Refs => [.. _clusters.Keys];

        public bool IsSynced => true;

        public WorkloadSnapshot? GetWorkload(WorkloadRef workload) => _clusters.GetValueOrDefault(workload)?.Workload;

        public IReadOnlyList<WorkloadSnapshot> GetWorkloads() => [.. _clusters.Values.Select(c => c.Workload!)];

        public WorkloadRef? ResolveOwner(string namespaceName, IReadOnlyList<OwnerRef> podOwners) => null;

        public IReadOnlyList<PodSnapshot> GetPods(WorkloadRef workload) => _clusters.GetValueOrDefault(workload)?.Pods ?? [];

        public NodeSnapshot? GetNode(string name) => _clusters.Values.First().GetNode(name);

        public IReadOnlyList<NodeSnapshot> GetNodes() => _clusters.Values.First().GetNodes();

        public IReadOnlyDictionary<string, string>? GetNamespaceLabels(string namespaceName) => _clusters.Values.First().NamespaceLabels;
    }
}
