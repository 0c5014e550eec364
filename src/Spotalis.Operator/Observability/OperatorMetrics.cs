using Prometheus;

namespace Spotalis.Operator.Observability;

/// <summary>
/// The operator's Prometheus metrics (names and labels are part of the product contract). Each instance owns its
/// registry, so several operator hosts can run in one process (tests, the demo) without sharing series.
/// </summary>
public sealed class OperatorMetrics
{
    public OperatorMetrics()
        : this(Prometheus.Metrics.NewCustomRegistry())
    {
    }

    public OperatorMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        DesiredReplicas = factory.CreateGauge("spotalis_workload_desired_replicas", "Replicas the workload should run per capacity type.",
            "namespace", "workload", "kind", "capacity_type");
        ActualReplicas = factory.CreateGauge("spotalis_workload_actual_replicas", "Replicas running per capacity type (current revision, not terminating).",
            "namespace", "workload", "kind", "capacity_type");
        PendingReplicas = factory.CreateGauge("spotalis_workload_pending_replicas", "Replicas not yet scheduled.",
            "namespace", "workload", "kind");
        FallbackReplicas = factory.CreateGauge("spotalis_workload_fallback_replicas", "Replicas meant for spot running on on-demand because spot was unavailable.",
            "namespace", "workload", "kind");
        Workloads = factory.CreateGauge("spotalis_workloads", "Managed workloads by state.", "state");
        Reconciles = factory.CreateCounter("spotalis_reconcile_total", "Reconciles by result.", "result");
        ReconcileDuration = factory.CreateHistogram("spotalis_reconcile_duration_seconds", "Time spent in one reconcile.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        Evictions = factory.CreateCounter("spotalis_evictions_total", "Evictions by result.", "result");
        PolicyErrors = factory.CreateCounter("spotalis_policy_errors_total", "Invalid workload policy annotations seen.",
            "namespace", "workload", "key");
        MoveOutcomes = factory.CreateCounter("spotalis_move_outcomes_total",
            "Evictions judged by where the replacement landed: steered, futile (back on the capacity type it left) or unplaced (created without the webhook).",
            "outcome");
        WebhookInPath = factory.CreateGauge("spotalis_webhook_in_path",
            "1 when the last check found the webhook in the admission path, 0 when not; absent until the first check.");
        Leader = factory.CreateGauge("spotalis_leader", "1 when this replica is the leader.");
        WatchRestarts = factory.CreateCounter("spotalis_watch_restarts_total", "Watch streams restarted, by resource.", "resource");
        CacheSynced = factory.CreateGauge("spotalis_cache_synced", "1 once every informer completed its first full list.");
    }

    public CollectorRegistry Registry { get; }

    public Gauge DesiredReplicas { get; }

    public Gauge ActualReplicas { get; }

    public Gauge PendingReplicas { get; }

    public Gauge FallbackReplicas { get; }

    public Gauge Workloads { get; }

    public Counter Reconciles { get; }

    public Histogram ReconcileDuration { get; }

    public Counter Evictions { get; }

    public Counter PolicyErrors { get; }

    public Counter MoveOutcomes { get; }

    public Gauge WebhookInPath { get; }

    public Gauge Leader { get; }

    public Counter WatchRestarts { get; }

    public Gauge CacheSynced { get; }

    /// <summary>The text exposition format, as served at <c>/metrics</c>.</summary>
    public async Task<string> ExportAsync(CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
