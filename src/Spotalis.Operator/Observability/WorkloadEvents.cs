using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Policy;
using Spotalis.Core.Timing;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Observability;

/// <summary>
/// Every Event the operator records, one method per reason: its type, action and message are decided here and
/// nowhere else (<c>docs/reference/events.md</c> documents this file). Reasons and messages are a product contract.
/// </summary>
public static class WorkloadEvents
{
    /// <summary>The workload reached its desired split after rebalancing.</summary>
    public static WorkloadEvent Balanced(WorkloadEvaluation evaluation) =>
        On(evaluation, EventType.Normal, EventReasons.Balanced, "Rebalance",
            $"Balanced at {evaluation.Actual.Spot} spot / {evaluation.Actual.OnDemand} on-demand, as desired");

    /// <summary>A pod was evicted to move it to the other capacity type.</summary>
    public static WorkloadEvent Evicted(WorkloadEvaluation evaluation, EvictionAction action) =>
        On(evaluation, EventType.Normal, EventReasons.Evicted, "Evict",
            $"Evicted pod {action.PodName} from {CapacityTypes.ToLabelValue(action.From)} to recreate it on {CapacityTypes.ToLabelValue(action.To)}: {action.Reason}",
            action.PodName);

    /// <summary>Read-only mode: the eviction that would have been made.</summary>
    public static WorkloadEvent WouldEvict(WorkloadEvaluation evaluation, EvictionAction action) =>
        On(evaluation, EventType.Normal, EventReasons.WouldEvict, "Evict",
            $"Read-only mode: would evict pod {action.PodName} from {CapacityTypes.ToLabelValue(action.From)} to recreate it on {CapacityTypes.ToLabelValue(action.To)}: {action.Reason}",
            action.PodName);

    /// <summary>The Eviction API answered 429 (a PodDisruptionBudget allows no disruption now).</summary>
    public static WorkloadEvent EvictionBlocked(WorkloadEvaluation evaluation, string pod, string? apiMessage) =>
        On(evaluation, EventType.Warning, EventReasons.EvictionBlocked, "Evict", $"Eviction of pod {pod} refused, retrying with backoff: {apiMessage}", pod);

    /// <summary>The Eviction API failed otherwise.</summary>
    public static WorkloadEvent EvictionFailed(WorkloadEvaluation evaluation, string pod, string? apiMessage) =>
        On(evaluation, EventType.Warning, EventReasons.EvictionFailed, "Evict", $"Evicting pod {pod} failed: {apiMessage}", pod);

    /// <summary>Reclaim starts: fallback pods move back to spot one at a time.</summary>
    public static WorkloadEvent ReclaimingSpot(WorkloadEvaluation evaluation, string evidence) =>
        On(evaluation, EventType.Normal, EventReasons.ReclaimingSpot, "Reclaim", $"Reclaiming spot ({evidence}); moving replicas back to spot one at a time");

    /// <summary>Spot-intended pods stayed unschedulable longer than <c>fallbackAfter</c>.</summary>
    public static WorkloadEvent FallbackToOnDemand(WorkloadEvaluation evaluation, string reason) =>
        On(evaluation, EventType.Warning, EventReasons.FallbackToOnDemand, "Fallback", $"Spot capacity is unavailable: {reason} until it returns");

    /// <summary>
    /// Evictions pause after futile moves (replacements back on the capacity type they left, or created unplaced).
    /// </summary>
    public static WorkloadEvent PlacementNotSteered(WorkloadEvaluation evaluation, TimeSpan pause, string what, int futileInARow) =>
        On(evaluation, EventType.Warning, EventReasons.PlacementNotSteered, "Evict", PauseMessage(pause, what, futileInARow));

    /// <summary>Evictions stop while the webhook is not in the admission path.</summary>
    public static WorkloadEvent PlacementNotSteeredOutOfPath(WorkloadEvaluation evaluation, string problem) =>
        On(evaluation, EventType.Warning, EventReasons.PlacementNotSteered, "Evict",
            $"The webhook is not in the admission path ({problem}); no pod is evicted until it is, because its replacement would not be placed");

    /// <summary>An annotation of the workload is invalid (every invalid key in one message).</summary>
    public static WorkloadEvent InvalidPolicy(WorkloadEvaluation evaluation, IEnumerable<PolicyIssue> errors, bool optedIn)
    {
        var message = string.Join("; ", errors.Select(e => e.Message));
        var consequence = optedIn
            ? "Spotalis keeps every replica on on-demand and evicts nothing until this is fixed"
            : "Spotalis does not place or evict this workload's pods until this is fixed";
        return On(evaluation, EventType.Warning, EventReasons.InvalidPolicy, "Validate", $"{message}. {consequence}");
    }

    /// <summary>The message of <see cref="PlacementNotSteered"/> (also logged).</summary>
    public static string PauseMessage(TimeSpan pause, string what, int futileInARow) =>
        $"Evictions paused for {GoDuration.Format(pause)}: {what} ({futileInARow} such moves in a row). " +
        "Likely causes: the webhook is not in the admission path (disabled, its Service or caBundle broken, a namespace or object selector that " +
        "misses these pods, failurePolicy Ignore hiding an outage), another mutating webhook or the pod template overrides the capacity type, " +
        "or the capacity it was sent to cannot run it";

    private static WorkloadEvent On(WorkloadEvaluation evaluation, EventType type, string reason, string action, string message, string? pod = null) =>
        new(evaluation.Workload, evaluation.Snapshot?.Uid ?? "", type, reason, action, message, pod);
}
