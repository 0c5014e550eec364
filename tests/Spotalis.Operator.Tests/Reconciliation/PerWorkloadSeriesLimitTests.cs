using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Tests.Reconciliation;

/// <summary>metrics.perWorkloadSeriesLimit: per-workload series for at most that many workloads, the rest counted only in aggregate.</summary>
public class PerWorkloadSeriesLimitTests
{
    private static readonly WorkloadRef Web = new("Deployment", "shop", "web");
    private static readonly WorkloadRef Db = new("StatefulSet", "shop", "db");

    [Fact]
    public async Task Workloads_beyond_the_limit_get_no_series_until_one_with_series_is_forgotten()
    {
        var metrics = new OperatorMetrics();
        var bookkeeping = new ReconcileMetrics(metrics, perWorkloadSeriesLimit: 2);
        var api = await BalancedEvaluationAsync();

        bookkeeping.Workload(api);
        bookkeeping.Workload(api with { Workload = Web });
        bookkeeping.Workload(api with { Workload = Db });

        Assert.Equal(["api", "web"], WorkloadsWithSeries(metrics));

        // A workload with series stops being managed: the next one reconciled takes its place.
        bookkeeping.Forgotten(Web);
        bookkeeping.Workload(api with { Workload = Db });

        Assert.Equal(["api", "db"], WorkloadsWithSeries(metrics));
    }

    [Fact]
    public async Task Zero_means_no_per_workload_series_while_the_state_gauge_still_counts_every_workload()
    {
        var config = ConfigurationLoader.Parse(null, new Dictionary<string, string> { ["SPOTALIS_METRICS_PER_WORKLOAD_SERIES_LIMIT"] = "0" });
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onSpot: 2, onDemand: 2);
        var metrics = new OperatorMetrics();
        var reconciler = new WorkloadReconciler(cluster, new RecordingPodActions(), ReconcilerOptions.From(config), new ManualClock(FakeCluster.Now), NullLogger.Instance, metrics);

        await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None);

        Assert.Equal(0, config.Metrics.PerWorkloadSeriesLimit);
        Assert.Empty(WorkloadsWithSeries(metrics));
        Assert.Equal(1, metrics.Workloads.WithLabels("Balanced").Value);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("many")]
    public void A_limit_that_is_not_a_non_negative_integer_stops_startup_with_the_key_named(string value)
    {
        var environment = new Dictionary<string, string> { ["SPOTALIS_METRICS_PER_WORKLOAD_SERIES_LIMIT"] = value };

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(null, environment));

        Assert.Contains("SPOTALIS_METRICS_PER_WORKLOAD_SERIES_LIMIT", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}' is not an integer from 0 to 1000000", error.Message, StringComparison.Ordinal);
    }

    private static async Task<WorkloadEvaluation> BalancedEvaluationAsync()
    {
        var cluster = FakeCluster.WithDeployment(replicas: 4, spotPercentage: "50", onSpot: 2, onDemand: 2);
        var reconciler = new WorkloadReconciler(cluster, new RecordingPodActions(), ReconcilerOptions.From(SpotalisConfig.Default), new ManualClock(FakeCluster.Now), NullLogger.Instance);
        return (await reconciler.ReconcileAsync(FakeCluster.Api, CancellationToken.None)).Evaluation;
    }

    private static string[] WorkloadsWithSeries(OperatorMetrics metrics) =>
        [.. metrics.DesiredReplicas.GetAllLabelValues().Select(labels => labels[1]).Distinct().Order(StringComparer.Ordinal)];
}
