using Spotalis.Core.Capacity;
using Spotalis.Core.Disruption;
using Spotalis.Core.Fallback;
using Spotalis.Core.Nodes;
using Spotalis.Core.Planning;
using Spotalis.Core.Policy;
using Spotalis.Core.Split;
using Spotalis.Core.Timing;
using Spotalis.Core.Workloads;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// The pure part of reconciling: policy -> desired split -> pods x node classification -> fallback -> plan ->
/// state. Reads only the cache view; never writes.
/// </summary>
internal static class WorkloadEvaluator
{
    private static readonly IReadOnlyList<PodState> NoPods = [];

    public static WorkloadEvaluation Evaluate(IClusterView view, ReconcilerOptions options, WorkloadRef workload, DateTimeOffset now, WorkloadMemory? memory,
        string? admissionPathProblem = null)
    {
        var snapshot = view.GetWorkload(workload);
        if (snapshot is null)
        {
            return Unmanaged(workload, null, null, "not found in the cache");
        }

        if (!string.IsNullOrEmpty(options.Namespace) && workload.Namespace != options.Namespace)
        {
            return Unmanaged(workload, snapshot, null, $"outside the watched namespace {options.Namespace}");
        }

        var namespaceLabels = view.GetNamespaceLabels(workload.Namespace);
        if (!options.NamespaceSelector.IsEmpty && !options.NamespaceSelector.Matches(namespaceLabels))
        {
            return Unmanaged(workload, snapshot, null, "its namespace does not match namespaceSelector");
        }

        var policy = PolicyParser.Parse(snapshot.Labels, snapshot.Annotations, namespaceLabels);
        // Go's per-workload window (workload annotations, then namespace labels) replaces the global one.
        options = options with { Window = WorkloadDisruptionWindow.Resolve(policy.Policy, options.Window) };

        // An unreadable opt-in ("True", "yes") means the user meant something: report it rather than stay silent.
        // The parser already treats it as not enabled, so the InvalidPolicy path below evicts nothing.
        var optInInvalid = policy.Errors.Any(e => e.Key == SpotalisKeys.Enabled);
        if (!policy.Policy.Enabled && !optInInvalid)
        {
            return Unmanaged(workload, snapshot, policy, $"not opted in ({SpotalisKeys.Enabled} is not \"true\" on the workload or its namespace)");
        }

        var spotNotOffered = policy.Policy.SpotPercentage > 0 ? options.SpotNotOffered?.Invoke() : null;
        var desired = SplitCalculator.Compute(snapshot.Replicas, spotNotOffered is null ? policy.Policy.SpotPercentage : 0, policy.Policy.MinOnDemand);
        var pods = view.GetPods(workload);
        // A pod this process evicted counts as terminating until the watch reports it so (see WorkloadMemory).
        var evictedNotYetSeen = memory?.EvictedNotYetSeen(pods);
        var podStates = pods.Select(p => ToPodState(p, snapshot, view, options.Classifier, evictedNotYetSeen)).ToArray();
        var currentPods = podStates.Where(p => p.CurrentRevision).ToArray();
        var actual = ActualSplitCalculator.Compute(currentPods);
        var fallbackReplicas = pods.Count(p => p.IsFallback && p.IsLive);

        if (!policy.IsValid)
        {
            var keys = string.Join(", ", policy.Errors.Select(e => e.Key).Distinct());
            var outcome = policy.Policy.Enabled
                ? "all replicas on on-demand, no evictions"
                : "not managed until fixed, no evictions";
            return new WorkloadEvaluation(workload, snapshot, true, policy, desired, actual, WorkloadState.InvalidPolicy,
                $"invalid policy ({keys}): {outcome}", null, null, fallbackReplicas, podStates, [], null);
        }

        var fallbackAfter = policy.Policy.FallbackAfter ?? options.FallbackAfter;
        var facts = pods.Select(ToFallbackFacts).ToArray();
        var fallback = FallbackPolicy.Evaluate(facts, fallbackAfter, ReclaimRulesFor(options, memory, view, facts), now);
        var newestPod = pods.Count == 0 ? (DateTimeOffset?)null : pods.Max(p => p.CreatedAt);
        var lastDisruption = Max(memory?.LastEvictionAt, newestPod) is { } last
            ? memory?.CooldownStart(last, now) ?? (last > now ? now : last)
            : (DateTimeOffset?)null;
        var windowOpen = options.Window.IsOpen(now);
        var context = new PlanningContext(
            desired,
            policy.Policy.MinOnDemand,
            policy.Policy.DisruptionBudget,
            workload.Kind == WorkloadKinds.StatefulSet,
            options.ReadOnly,
            windowOpen,
            now,
            lastDisruption,
            options.Cooldown,
            snapshot.RolloutInProgress)
        {
            SpotUnavailable = fallback.SpotUnavailable,
            FallbackRecorded = fallback.Recorded,
            OrdinalOrder = workload.Kind == WorkloadKinds.StatefulSet ? new StatefulSetOrder(policy.Policy.SpotPercentage, policy.Policy.MinOnDemand) : null,
        };
        var plan = Paused(RebalancePlanner.Plan(context, currentPods), memory, now, admissionPathProblem);
        var unschedulable = pods.Count(p => p.UnschedulableSince is not null && p.IsLive);
        var state = StateOf(plan, fallback, fallbackReplicas, unschedulable, options.ReadOnly);
        var blockingBudget = state == WorkloadState.Rebalancing ? BlockingBudget(view, snapshot, plan, podStates) : null;
        if (state == WorkloadState.Rebalancing && (blockingBudget is not null || memory?.BlockedByPdbAt is not null))
        {
            // A budget's status refuses the next eviction, or this process's last attempt was refused with 429:
            // moving on is up to the PodDisruptionBudget.
            state = WorkloadState.BlockedByPdb;
        }

        var costs = workload.Kind == WorkloadKinds.Deployment ? DeletionCosts(pods, currentPods, policy.Policy) : [];
        var next = NextCheck(now, plan, lastDisruption, options, pods, fallbackAfter, fallback, memory);
        var reason = spotNotOffered is null ? plan.Reason : $"{plan.Reason}; all replicas on on-demand: {spotNotOffered}";
        if (blockingBudget is not null)
        {
            reason = $"{reason}; PodDisruptionBudget {blockingBudget.Name} allows no disruption now (disruptionsAllowed {blockingBudget.DisruptionsAllowed})";
        }

        return new WorkloadEvaluation(workload, snapshot, true, policy, desired, plan.Actual, state, reason, plan, fallback,
            fallbackReplicas, podStates, costs, next);
    }

    /// <summary>The budget that would refuse the eviction the plan makes now or after its cooldown (read from the cluster).</summary>
    private static DisruptionBudgetFacts? BlockingBudget(IClusterView view, WorkloadSnapshot workload, RebalancePlan plan, IReadOnlyList<PodState> pods)
    {
        if (plan.Outcome is not (PlanOutcome.Act or PlanOutcome.Cooldown) || plan.NextMove is not { } move ||
            view.GetDisruptionBudgets(workload.Ref.Namespace) is not { Count: > 0 } budgets)
        {
            return null;
        }

        var ready = pods.FirstOrDefault(p => p.Name == move.PodName)?.Ready ?? true;
        return DisruptionBudgetRule.Blocking(budgets, workload.Ref.Namespace, workload.PodTemplateLabels, ready);
    }

    private static WorkloadEvaluation Unmanaged(WorkloadRef workload, WorkloadSnapshot? snapshot, PolicyResult? policy, string reason) =>
        new(workload, snapshot, false, policy, default, new ActualSplit(0, 0, 0, 0, 0, 0, 0), WorkloadState.Disabled, reason, null, null, 0, NoPods, [], null);

    /// <summary>Invariant 8: while moves of this workload are futile, or the webhook is not in the path, its evictions stop.</summary>
    private static RebalancePlan Paused(RebalancePlan plan, WorkloadMemory? memory, DateTimeOffset now, string? admissionPathProblem)
    {
        var wouldMove = plan.Outcome is PlanOutcome.Act or PlanOutcome.Cooldown or PlanOutcome.DisruptionInFlight;
        var next = plan.Action is { } action ? $"; next move: {action.PodName}" : "";
        if (wouldMove && admissionPathProblem is not null)
        {
            return new RebalancePlan(PlanOutcome.NotSteered, null,
                $"evictions stopped: the webhook is not in the admission path ({admissionPathProblem}){next}", plan.Actual);
        }

        return wouldMove && memory?.PausedUntil is { } until && until > now
            ? new RebalancePlan(PlanOutcome.NotSteered, null,
                $"evictions paused for {GoDuration.Format(TimeSpan.FromSeconds(Math.Ceiling((until - now).TotalSeconds)))}: {memory.ConsecutiveFutile} replacement(s) in a row did not land where the split needs them{next}",
                plan.Actual)
            : plan;
    }

    private static WorkloadState StateOf(RebalancePlan plan, FallbackStatus fallback, int fallbackReplicas, int unschedulable, bool readOnly) => plan.Outcome switch
    {
        PlanOutcome.NotSteered => WorkloadState.PlacementNotSteered,
        PlanOutcome.ReadOnly => WorkloadState.ReadOnly,
        _ when readOnly && plan.Action is not null => WorkloadState.ReadOnly,
        PlanOutcome.OutsideWindow => WorkloadState.WaitingForWindow,

        // A recorded fallback holds until reclaim clears it: never reported Balanced meanwhile.
        _ when fallback.SpotUnavailable || fallback.Marked => WorkloadState.Fallback,
        _ when unschedulable > 0 => WorkloadState.WaitingForCapacity,
        PlanOutcome.Balanced when fallbackReplicas > 0 => WorkloadState.Fallback,
        PlanOutcome.Balanced => WorkloadState.Balanced,
        _ => WorkloadState.Rebalancing,
    };

    /// <summary>
    /// When a workload in fallback may try spot again: after reclaimAfter on evidence of spot capacity, or without
    /// evidence after a probe interval that doubles with each failed probe (capped).
    /// </summary>
    private static ReclaimRules ReclaimRulesFor(ReconcilerOptions options, WorkloadMemory? memory, IClusterView view, IReadOnlyList<FallbackFacts> facts)
    {
        var since = facts.Where(f => f.FallbackSince is not null).Select(f => f.FallbackSince!.Value).DefaultIfEmpty().Min();
        var evidence = since == default ? null : SpotCapacityEvidence.Find(view, options.Classifier, since);
        // Evidence can mislead (a free slot without cpu): every failed reclaim also lengthens the wait before acting on it.
        var failed = memory?.FailedProbes ?? 0;
        return new ReclaimRules(ProbeInterval(options, Math.Max(0, failed - 1)), ProbeInterval(options, failed), evidence);
    }

    /// <summary>reclaimAfter x 2^failedProbes, capped at reclaimProbeMaxInterval.</summary>
    internal static TimeSpan ProbeInterval(ReconcilerOptions options, int failedProbes)
    {
        var interval = options.ReclaimAfter;
        for (var i = 0; i < failedProbes && interval < options.ReclaimProbeMaxInterval; i++)
        {
            interval += interval;
        }

        return interval > options.ReclaimProbeMaxInterval ? options.ReclaimProbeMaxInterval : interval;
    }

    private static PodState ToPodState(PodSnapshot pod, WorkloadSnapshot workload, IClusterView view, NodeClassifier classifier, IReadOnlySet<string>? evictedNotYetSeen)
    {
        CapacityType? capacity = null;
        var leaving = false;
        if (pod.NodeName is { Length: > 0 } nodeName && view.GetNode(nodeName) is { } node)
        {
            var classification = classifier.Classify(new NodeDescription(
                node.Name,
                node.Labels,
                node.Taints.Select(t => new NodeTaint(t.Key, t.Value, t.Effect)).ToArray(),
                node.Unschedulable));
            capacity = classification.CapacityType;
            leaving = classification.Leaving;
        }

        if (capacity is null && CapacityTypes.TryParse(pod.CapacityLabel, out var labelled))
        {
            capacity = labelled;
        }

        return new PodState(
            pod.Name,
            capacity,
            pod.Ready,
            !string.IsNullOrEmpty(pod.NodeName),
            pod.Phase == PodLiveness.Failed,
            pod.Phase == PodLiveness.Succeeded,
            pod.Terminating || (evictedNotYetSeen?.Contains(pod.Name) ?? false),
            leaving,
            pod.DoNotDisrupt,
            pod.CreatedAt,
            pod.Ordinal,
            workload.CurrentRevision is null || pod.Revision is null || pod.Revision == workload.CurrentRevision);
    }

    private static FallbackFacts ToFallbackFacts(PodSnapshot pod) =>
        new(
            CapacityTypes.TryParse(pod.CapacityLabel, out var intended) ? intended : null,
            pod.IsFallback,
            pod.CreatedAt,
            pod.UnschedulableSince,
            pod.Terminating,
            pod.FallbackSince);

    private static DeletionCostChange[] DeletionCosts(IReadOnlyList<PodSnapshot> pods, IReadOnlyList<PodState> currentPods, WorkloadPolicy policy)
    {
        var byName = pods.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var changes = new List<DeletionCostChange>();
        foreach (var group in currentPods
                     .Where(p => p is { Terminating: false, Failed: false, Succeeded: false, CapacityType: not null })
                     .GroupBy(p => p.CapacityType!.Value))
        {
            // Rank 0 is kept longest: Ready pods before unready ones, then the oldest, so a scale-down removes the
            // newest, least useful pods of the over-represented type first.
            var rank = 0;
            foreach (var pod in group.OrderByDescending(p => p.Ready).ThenBy(p => p.CreatedAt).ThenBy(p => p.Name, StringComparer.Ordinal))
            {
                var cost = DeletionCost.For(group.Key, rank++, policy.SpotPercentage, policy.MinOnDemand);
                var current = byName[pod.Name].DeletionCost;
                if (current != cost)
                {
                    changes.Add(new DeletionCostChange(pod.Name, current, cost));
                }
            }
        }

        return [.. changes];
    }

    private static DateTimeOffset? NextCheck(DateTimeOffset now, RebalancePlan plan, DateTimeOffset? lastDisruption, ReconcilerOptions options,
        IReadOnlyList<PodSnapshot> pods, TimeSpan fallbackAfter, FallbackStatus fallback, WorkloadMemory? memory)
    {
        var candidates = new List<DateTimeOffset>();
        if (plan.Outcome == PlanOutcome.Cooldown && lastDisruption is { } last)
        {
            candidates.Add(last + options.Cooldown);
        }

        if (plan.Outcome == PlanOutcome.NotSteered && memory?.PausedUntil is { } pausedUntil)
        {
            candidates.Add(pausedUntil);
        }

        if (plan.Outcome == PlanOutcome.OutsideWindow && options.Window.NextOpening(now) is { } opening)
        {
            candidates.Add(opening);
        }

        foreach (var pod in pods)
        {
            if (pod.UnschedulableSince is { } unschedulableSince && !pod.Terminating)
            {
                candidates.Add(unschedulableSince + fallbackAfter);
            }
        }

        if (fallback.Marked && fallback.Since is { } since)
        {
            candidates.Add(since + options.ReclaimAfter);
            candidates.Add(since + ProbeInterval(options, memory?.FailedProbes ?? 0));
        }

        if (fallback.SpotUnavailable && !fallback.Recorded)
        {
            // The marks are being written: look again as soon as the watch shows them.
            candidates.Add(now + TimeSpan.FromMilliseconds(200));
        }

        var future = candidates.Where(c => c > now).ToArray();
        return future.Length == 0 ? null : future.Min();
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;
}
