namespace Spotalis.Deploy.Tests;

/// <summary>The Prometheus metrics the operator exports, as agreed in the product contract (name -> type).</summary>
internal static class KnownMetrics
{
    public static IReadOnlyDictionary<string, string> Types { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["spotalis_workload_desired_replicas"] = "gauge",
        ["spotalis_workload_actual_replicas"] = "gauge",
        ["spotalis_workload_pending_replicas"] = "gauge",
        ["spotalis_workload_fallback_replicas"] = "gauge",
        ["spotalis_workloads"] = "gauge",
        ["spotalis_reconcile_total"] = "counter",
        ["spotalis_reconcile_duration_seconds"] = "histogram",
        ["spotalis_evictions_total"] = "counter",
        ["spotalis_policy_errors_total"] = "counter",
        ["spotalis_leader"] = "gauge",
        ["spotalis_watch_restarts_total"] = "counter",
        ["spotalis_cache_synced"] = "gauge",
        ["spotalis_webhook_requests_total"] = "counter",
        ["spotalis_webhook_decisions_total"] = "counter",
        ["spotalis_webhook_forwarded_total"] = "counter",
        ["spotalis_webhook_duration_seconds"] = "histogram",
    };

    /// <summary>
    /// The metric a series name belongs to: histograms are queried through their _bucket, _sum and _count
    /// series. Returns null when the series is not one the operator exports.
    /// </summary>
    public static string? MetricOf(string series)
    {
        if (Types.ContainsKey(series))
        {
            return series;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (series.EndsWith(suffix, StringComparison.Ordinal))
            {
                var name = series[..^suffix.Length];
                if (Types.TryGetValue(name, out var type) && type == "histogram")
                {
                    return name;
                }
            }
        }

        return null;
    }
}
