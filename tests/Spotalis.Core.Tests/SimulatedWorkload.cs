using Spotalis.Core.Admission;
using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

/// <summary>
/// A tiny model of a workload's pods for convergence tests: an evicted pod terminates, the workload controller creates
/// a replacement at once whose capacity type the admission placement chooses, and that pod is scheduled and becomes
/// Ready a few steps later. Each step the planner runs once and its action, if any, is applied.
/// </summary>
internal sealed class SimulatedWorkload(int replicas, int percentage, int floor, int budget, bool statefulSet, Random random)
{
    private readonly DesiredSplit _desired = SplitCalculator.Compute(replicas, percentage, floor);
    private readonly StatefulSetOrder _order = new(percentage, floor);

    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);

    private readonly List<SimulatedPod> _pods = [];
    private readonly Dictionary<string, List<CapacityType>> _movesBySlot = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private DateTimeOffset? _lastEviction;
    private int _created;

    public void AddInitialPod(CapacityType type, bool ready)
    {
        var ordinal = _pods.Count;
        _pods.Add(new SimulatedPod(NextName(ordinal), type, ordinal, _now) { Ready = ready, Scheduled = true, ReadyAt = ready ? null : _now + Step });
    }

    /// <summary>How many pods must move at least: misplaced ordinals for StatefulSets, the spot surplus or deficit otherwise.</summary>
    public int Distance() =>
        statefulSet
            ? _pods.Count(pod => pod.Type != _order.TargetFor(pod.Ordinal))
            : Math.Abs(_pods.Count(pod => pod.Type == CapacityType.Spot) - _desired.Spot);

    public SimulationResult RunUntilBalanced(int maxSteps)
    {
        var evictions = 0;
        var reason = string.Empty;
        for (var step = 0; step < maxSteps; step++)
        {
            var plan = RebalancePlanner.Plan(Context(), [.. _pods.Select(pod => pod.ToState())]);
            reason = plan.Reason;
            if (plan.Outcome == PlanOutcome.Balanced && _pods.All(pod => pod.Ready && !pod.Terminating))
            {
                return new SimulationResult(true, evictions, reason, _movesBySlot.Values.Any(moves => moves.Count > 1));
            }

            if (plan.Outcome == PlanOutcome.Act)
            {
                Evict(plan.Action!);
                evictions++;
            }

            Advance();
        }

        return new SimulationResult(false, evictions, reason, _movesBySlot.Values.Any(moves => moves.Count > 1));
    }

    private PlanningContext Context() =>
        new(_desired, floor, budget, statefulSet, ReadOnly: false, WindowOpen: true, _now, _lastEviction, Cooldown, RolloutInProgress: false)
        {
            OrdinalOrder = statefulSet ? _order : null,
        };

    private void Evict(EvictionAction action)
    {
        var pod = _pods.Single(candidate => candidate.Name == action.PodName);
        if (pod.Ready)
        {
            _lastEviction = _now;
        }

        pod.Terminating = true;
        var slot = statefulSet ? $"ordinal-{pod.Ordinal}" : pod.Name;
        if (!_movesBySlot.TryGetValue(slot, out var moves))
        {
            moves = [];
            _movesBySlot[slot] = moves;
        }

        moves.Add(action.To);

        // The workload controller replaces the pod; the webhook chooses its capacity type from the pods it can see.
        var live = _pods.Where(candidate => !candidate.Terminating).ToList();
        var placement = AdmissionPlacement.Choose(new PlacementInput(
            _desired, live.Count(p => p.Type == CapacityType.Spot), live.Count(p => p.Type == CapacityType.OnDemand), 0, 0, false,
            statefulSet ? pod.Ordinal : null)
        {
            OrdinalOrder = statefulSet ? _order : null,
        });
        if (placement.CapacityType != action.To)
        {
            throw new InvalidOperationException($"admission placed the replacement of {pod.Name} on {placement.CapacityType}, the planner wanted {action.To}");
        }

        var ordinal = statefulSet ? pod.Ordinal : _pods.Count;
        _pods.Add(new SimulatedPod(NextName(ordinal), placement.CapacityType, ordinal, _now) { ReadyAt = _now + (Step * random.Next(1, 5)) });
    }

    private void Advance()
    {
        _now += Step;
        _pods.RemoveAll(pod => pod.Terminating);
        foreach (var pod in _pods)
        {
            pod.Scheduled = true;
            if (pod.ReadyAt is { } readyAt && readyAt <= _now)
            {
                pod.Ready = true;
                pod.ReadyAt = null;
            }
        }
    }

    private string NextName(int ordinal) => statefulSet ? $"db-{ordinal}-{_created++}" : $"web-{_created++}";

    private sealed class SimulatedPod(string name, CapacityType type, int ordinal, DateTimeOffset createdAt)
    {
        public string Name { get; } = name;

        public CapacityType Type { get; } = type;

        public int Ordinal { get; } = ordinal;

        public bool Ready { get; set; }

        public bool Scheduled { get; set; }

        public bool Terminating { get; set; }

        public DateTimeOffset? ReadyAt { get; set; }

        public PodState ToState() =>
            new(Name, Type, Ready, Scheduled, false, false, Terminating, false, false, createdAt, StatefulSetOrdinal(), true);

        private int? StatefulSetOrdinal() => Name.StartsWith("db-", StringComparison.Ordinal) ? Ordinal : null;
    }
}

internal sealed record SimulationResult(bool Balanced, int Evictions, string LastReason, bool PodMovedTwice);
