using Spotalis.Core.Capacity;
using Spotalis.Core.Split;
using Spotalis.Core.Timing;

namespace Spotalis.Core.Planning;

/// <summary>
/// Chooses the single next safe eviction that moves a workload toward its desired split, or says why there is none.
/// Rules, in order:
/// <list type="number">
/// <item>Spot unavailable: evict a pending spot pod (it is recreated on on-demand; costs no availability), but only
/// once the fallback is recorded on the pods, so the eviction cannot erase the evidence. Running spot pods stay.</item>
/// <item>A rollout in progress is left alone: the workload controller replaces pods and the webhook places them.</item>
/// <item>Move a pod only from a capacity type with a surplus to one with a deficit (StatefulSets: by ordinal, each
/// ordinal on its <see cref="StatefulSetOrder"/> target). Never a do-not-disrupt pod; Failed/Succeeded pods never count.</item>
/// <item>Prefer pods whose eviction costs no availability: not Ready (pending first), then pods on leaving nodes,
/// then pods of an old revision, then the newest (StatefulSets: the highest ordinal).</item>
/// <item>Evicting a not-Ready pod needs no budget and no window; a Ready pod needs an open window, a free slot of the
/// disruption budget (pods not Ready, terminating or missing use it up), an elapsed cooldown, and may never leave
/// fewer than MinOnDemand Ready on-demand pods.</item>
/// </list>
/// </summary>
public static class RebalancePlanner
{
    public static RebalancePlan Plan(PlanningContext context, IReadOnlyList<PodState> pods)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pods);
        var actual = ActualSplitCalculator.Compute(pods);
        var live = pods.Where(pod => pod.IsLive).ToList();
        var split = DescribeSplit(context.Desired, actual);

        if (context.SpotUnavailable && PlanFallback(context, live, actual, split) is { } fallback)
        {
            return fallback;
        }

        if (context.RolloutInProgress)
        {
            return new RebalancePlan(PlanOutcome.RolloutInProgress, null,
                $"rollout in progress; the workload controller replaces pods and new pods are placed at admission ({split})", actual);
        }

        return context.IsStatefulSet && live.Count > 0 && live.All(pod => pod.Ordinal is not null)
            ? PlanByOrdinal(context, live, actual, split)
            : PlanByCount(context, live, actual, split);
    }

    private static RebalancePlan? PlanFallback(PlanningContext context, List<PodState> live, ActualSplit actual, string split)
    {
        var pendingSpot = live
            .Where(pod => pod.CapacityType == CapacityType.Spot && !pod.Scheduled && !pod.DoNotDisrupt)
            .OrderBy(pod => pod.CreatedAt)
            .ThenBy(pod => pod.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (pendingSpot is null)
        {
            return null;
        }

        if (!context.FallbackRecorded && !context.ReadOnly)
        {
            return new RebalancePlan(PlanOutcome.NoEligiblePod, null,
                $"spot capacity is unavailable; recording the fallback on the pods before evicting pending spot pod {pendingSpot.Name} ({split})", actual);
        }

        var action = new EvictionAction(pendingSpot.Name, CapacityType.Spot, CapacityType.OnDemand,
            $"spot capacity is unavailable and it is pending, so moving it costs no availability ({split})");
        return Finish(context, action, actual);
    }

    private static RebalancePlan PlanByCount(PlanningContext context, List<PodState> live, ActualSplit actual, string split)
    {
        var desired = context.Desired;
        var spotSurplus = actual.Spot - desired.Spot;
        var onDemandSurplus = actual.OnDemand - desired.OnDemand;
        CapacityType from;
        if (spotSurplus > 0 && onDemandSurplus < 0)
        {
            from = CapacityType.Spot;
        }
        else if (onDemandSurplus > 0 && spotSurplus < 0)
        {
            from = CapacityType.OnDemand;
        }
        else
        {
            return NoMove(desired, actual, split);
        }

        var candidates = EvictionPreference.Order(live.Where(pod => pod.CapacityType == from))
            .ThenByDescending(pod => pod.CreatedAt)
            .ThenBy(pod => pod.Name, StringComparer.Ordinal)
            .ToList();
        return SuppressedByFallback(context, from, actual, split) ?? Gate(context, actual, split, from, candidates);
    }

    private static RebalancePlan PlanByOrdinal(PlanningContext context, List<PodState> live, ActualSplit actual, string split)
    {
        var desired = context.Desired;
        var order = context.OrdinalOrder ?? throw new ArgumentException("a StatefulSet's planning context needs its OrdinalOrder", nameof(context));

        // StatefulSets placed before the prefix order (low ordinals on-demand) converge here, one move at a time under the
        // usual gates (budget, cooldown, floor, window).
        var misplaced = live
            .Where(pod => pod.CapacityType is not null && pod.Ordinal < desired.Total && pod.CapacityType != order.TargetFor(pod.Ordinal!.Value))
            .ToList();
        if (misplaced.Count == 0)
        {
            return NoMove(desired, actual, split);
        }

        // Moving a low ordinal to on-demand first adds on-demand capacity before any on-demand pod is taken away.
        var from = misplaced.Any(pod => pod.CapacityType == CapacityType.Spot) ? CapacityType.Spot : CapacityType.OnDemand;
        var candidates = EvictionPreference.Order(misplaced.Where(pod => pod.CapacityType == from))
            .ThenByDescending(pod => pod.Ordinal)
            .ToList();
        return SuppressedByFallback(context, from, actual, split) ?? Gate(context, actual, split, from, candidates);
    }

    private static RebalancePlan? SuppressedByFallback(PlanningContext context, CapacityType from, ActualSplit actual, string split) =>
        context.SpotUnavailable && from == CapacityType.OnDemand
            ? new RebalancePlan(PlanOutcome.NoEligiblePod, null,
                $"spot capacity is unavailable; pods stay on on-demand until spot returns ({split})", actual)
            : null;

    private static RebalancePlan NoMove(DesiredSplit desired, ActualSplit actual, string split)
    {
        if (actual.Unknown > 0)
        {
            return new RebalancePlan(PlanOutcome.NoEligiblePod, null,
                $"{actual.Unknown} pod(s) run on nodes of unknown capacity type; check the nodeClassifier preset ({split})", actual);
        }

        if (actual.Live < desired.Total)
        {
            return new RebalancePlan(PlanOutcome.DisruptionInFlight, null,
                $"waiting for {desired.Total - actual.Live} missing pod(s) to be created ({split})", actual);
        }

        if (actual.Live > desired.Total)
        {
            return new RebalancePlan(PlanOutcome.DisruptionInFlight, null,
                $"waiting for scale-down to remove {actual.Live - desired.Total} extra pod(s) ({split})", actual);
        }

        return new RebalancePlan(PlanOutcome.Balanced, null, $"balanced ({split})", actual);
    }

    private static RebalancePlan Gate(PlanningContext context, ActualSplit actual, string split, CapacityType from, List<PodState> candidates)
    {
        var to = from == CapacityType.Spot ? CapacityType.OnDemand : CapacityType.Spot;
        var fromText = CapacityTypes.ToLabelValue(from);
        var eligible = candidates.Where(pod => !pod.DoNotDisrupt).ToList();
        if (eligible.Count == 0)
        {
            return new RebalancePlan(PlanOutcome.NoEligiblePod, null,
                $"every {fromText} pod that could move to {CapacityTypes.ToLabelValue(to)} ({candidates.Count}) carries {SpotalisKeys.DoNotDisrupt}=true ({split})", actual);
        }

        var pod = eligible[0];
        var action = new EvictionAction(pod.Name, from, to, WhyMove(pod, to, split));
        if (!pod.Ready)
        {
            // Evicting a pod that serves nothing costs no availability: no budget or window needed, cooldown still applies.
            if (CooldownRemaining(context) is { } wait)
            {
                return new RebalancePlan(PlanOutcome.Cooldown, null, CooldownReason(context, wait, pod, split), actual) { WaitingMove = action };
            }

            return Finish(context, action, actual);
        }

        if (from == CapacityType.OnDemand && actual.ReadyOnDemand - 1 < context.MinOnDemand)
        {
            return new RebalancePlan(PlanOutcome.WouldBreakFloor, null,
                $"evicting {pod.Name} would leave {actual.ReadyOnDemand - 1} Ready on-demand pod(s), below the floor of {context.MinOnDemand} ({split})", actual);
        }

        if (!context.WindowOpen)
        {
            return new RebalancePlan(PlanOutcome.OutsideWindow, null,
                $"outside the disruption window; next move: {pod.Name} from {fromText} to {CapacityTypes.ToLabelValue(to)} ({split})", actual);
        }

        var unavailable = actual.InFlight + Math.Max(0, context.Desired.Total - actual.Live);
        var budget = Math.Max(1, context.DisruptionBudget);
        if (unavailable + 1 > budget)
        {
            return new RebalancePlan(PlanOutcome.DisruptionInFlight, null,
                $"{unavailable} pod(s) not Ready, terminating or missing; disruption budget is {budget}, waiting before moving {pod.Name} ({split})", actual);
        }

        if (CooldownRemaining(context) is { } remaining)
        {
            return new RebalancePlan(PlanOutcome.Cooldown, null, CooldownReason(context, remaining, pod, split), actual) { WaitingMove = action };
        }

        return Finish(context, action, actual);
    }

    private static RebalancePlan Finish(PlanningContext context, EvictionAction action, ActualSplit actual) =>
        context.ReadOnly
            ? new RebalancePlan(PlanOutcome.ReadOnly, action, "read-only mode; would " + DescribeMove(action), actual)
            : new RebalancePlan(PlanOutcome.Act, action, DescribeMove(action), actual);

    /// <summary>The plan's reason: which pod moves where, then why (the action's reason, which Events append to their own "Evicted pod X from A").</summary>
    private static string DescribeMove(EvictionAction action) =>
        $"evict {action.PodName} to move it from {CapacityTypes.ToLabelValue(action.From)} to {CapacityTypes.ToLabelValue(action.To)}: {action.Reason}";

    private static TimeSpan? CooldownRemaining(PlanningContext context)
    {
        if (context.LastDisruptionAt is not { } last)
        {
            return null;
        }

        var remaining = last + context.Cooldown - context.Now;
        return remaining > TimeSpan.Zero ? remaining : null;
    }

    private static string CooldownReason(PlanningContext context, TimeSpan remaining, PodState pod, string split) =>
        $"cooldown: last disruption (eviction or newest pod) {GoDuration.Format(Truncate(context.Now - context.LastDisruptionAt!.Value))} ago, next allowed in {GoDuration.Format(Ceiling(remaining))}; next move: {pod.Name} ({split})";

    private static TimeSpan Truncate(TimeSpan value) => TimeSpan.FromSeconds(Math.Floor(Math.Max(0, value.TotalSeconds)));

    private static TimeSpan Ceiling(TimeSpan value) => TimeSpan.FromSeconds(Math.Ceiling(value.TotalSeconds));

    private static string WhyMove(PodState pod, CapacityType to, string split)
    {
        var why = !pod.Scheduled ? "it is pending, so moving it costs no availability"
            : !pod.Ready ? "it is not Ready, so moving it costs no availability"
            : pod.NodeLeaving ? "its node is leaving the cluster"
            : !pod.CurrentRevision ? "it runs an old revision"
            : pod.Ordinal is { } ordinal ? $"ordinal {ordinal} belongs on {CapacityTypes.ToLabelValue(to)}"
            : "it is the newest pod";
        return $"{why} ({split})";
    }

    private static string DescribeSplit(DesiredSplit desired, ActualSplit actual)
    {
        var text = $"spot {actual.Spot}/{desired.Spot}, on-demand {actual.OnDemand}/{desired.OnDemand}";
        return actual.Unknown > 0 ? $"{text}, unknown {actual.Unknown}" : text;
    }
}
