namespace Spotalis.Migration;

/// <summary>The Go release's metric names (dashboards and alerts still query them) and their equivalents here.</summary>
public static class GoMetrics
{

    public static IReadOnlyList<GoMetric> All { get; } =
    [
        new("spotalis_workload_replicas", "spotalis_workload_actual_replicas",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["workload_type"] = "kind", ["replica_type"] = "capacity_type" }, [], "", null,
            "live pods of the current revision per workload and capacity type (capacity_type is spot or on-demand)"),
        new("spotalis_reconciliations_total", "spotalis_reconcile_total", new Dictionary<string, string>(StringComparer.Ordinal),
            ["namespace", "workload", "workload_type", "action"], "", null,
            "reconciles by result (success, requeue, error); not per workload"),
        new("spotalis_reconciliation_errors_total", "spotalis_reconcile_total", new Dictionary<string, string>(StringComparer.Ordinal),
            ["namespace", "workload", "workload_type", "error_type"], "result=\"error\"", null,
            "failed reconciles; not per workload (policy errors per workload: spotalis_policy_errors_total)"),
        new("spotalis_rebalancing_blocked_by_pdb_total", "spotalis_evictions_total", new Dictionary<string, string>(StringComparer.Ordinal),
            ["namespace", "workload", "workload_type", "pdb_name"], "result=\"blocked_pdb\"", null,
            "eviction requests refused by a PodDisruptionBudget (429); per workload: BlockedByPdb in spotalis_workloads{state}"),
        new("spotalis_webhook_requests_total", "spotalis_webhook_requests_total", new Dictionary<string, string>(StringComparer.Ordinal),
            ["operation", "resource_kind"], "", null,
            "admission requests by result (patched, skipped, error, invalid); only pod CREATE is sent to the webhook"),
        new("spotalis_webhook_mutations_total", "spotalis_webhook_decisions_total", new Dictionary<string, string>(StringComparer.Ordinal),
            ["resource_kind", "mutation_type"], "", null,
            "placement decisions by capacity_type"),
        new("spotalis_controller_last_seen_timestamp", null, new Dictionary<string, string>(StringComparer.Ordinal), ["controller_name"], "", "timestamp(spotalis_cache_synced)",
            "time of the last scrape of a running operator (use time() - ... for staleness)"),
        new("spotalis_leader_election_status", "spotalis_leader", new Dictionary<string, string>(StringComparer.Ordinal),
            ["controller_name"], "", null,
            "1 on the replica that holds the Lease"),
    ];

    public static GoMetric? Find(string name) => All.FirstOrDefault(m => m.GoName == name);
}
