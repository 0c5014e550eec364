using Spotalis.Core.Admission;
using Spotalis.Core.Capacity;
using Spotalis.Core.Fallback;
using Spotalis.Core.Planning;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

/// <summary>
/// Spot capacity disappears and comes back: the webhook rules (<see cref="AdmissionPlacement"/>), the fallback rules
/// (<see cref="FallbackPolicy"/>) and the planner together must move the workload to on-demand and back to its split.
/// </summary>
public sealed class FallbackScenarioTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FallbackAfter = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ReclaimAfter = TimeSpan.FromMinutes(10);

    private readonly DesiredSplit _desired = SplitCalculator.Compute(4, 75, 1);
    private readonly List<Pod> _pods = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private DateTimeOffset? _lastEviction;
    private bool _spotAvailable = true;
    private int _created;
    private int _evictions;

    [Fact]
    public void Workload_falls_back_to_on_demand_and_reclaims_spot_when_it_returns()
    {
        for (var i = 0; i < 4; i++)
        {
            Admit();
        }

        RunFor(TimeSpan.FromMinutes(1));
        Assert.Equal((3, 1), ReadyCounts());

        // Spot is interrupted: the spot nodes vanish with their pods, and no spot capacity is left.
        _spotAvailable = false;
        _pods.RemoveAll(pod => pod.Type == CapacityType.Spot);
        for (var i = 0; i < 3; i++)
        {
            Admit();
        }

        Assert.Equal(3, _pods.Count(pod => pod.Type == CapacityType.Spot && !pod.Scheduled));
        RunFor(FallbackAfter - TimeSpan.FromMinutes(1));
        Assert.Equal((0, 1), ReadyCounts());

        RunFor(TimeSpan.FromMinutes(3));
        Assert.Equal((0, 4), ReadyCounts());
        Assert.Equal(3, _pods.Count(pod => pod.IsFallback));
        Assert.Equal(3, _evictions);
        Assert.All(_pods, pod => Assert.NotNull(pod.FallbackSince));

        // Spot returns; nothing moves before the fallback pods are reclaimAfter old, then they move back one by one.
        _spotAvailable = true;
        RunFor(TimeSpan.FromMinutes(2));
        Assert.Equal((0, 4), ReadyCounts());

        RunFor(TimeSpan.FromMinutes(15));
        Assert.Equal((3, 1), ReadyCounts());
        Assert.DoesNotContain(_pods, pod => pod.IsFallback);
        Assert.Equal(6, _evictions);
        Assert.Equal(PlanOutcome.Balanced, Plan().Outcome);
    }

    private (int Spot, int OnDemand) ReadyCounts() =>
        (_pods.Count(pod => pod.Ready && pod.Type == CapacityType.Spot), _pods.Count(pod => pod.Ready && pod.Type == CapacityType.OnDemand));

    private FallbackStatus Fallback() => FallbackPolicy.Evaluate(
        [.. _pods.Select(pod => new FallbackFacts(pod.Type, pod.IsFallback, pod.CreatedAt, pod.UnschedulableSince, false, pod.FallbackSince))], FallbackAfter, ReclaimAfter, _now);

    /// <summary>What the operator does with the fallback status: record it on every pod, or clear it when reclaim is due.</summary>
    private FallbackStatus KeepRecord()
    {
        var fallback = Fallback();
        if (fallback.ReclaimDue && fallback.Marked)
        {
            _pods.ForEach(pod => pod.FallbackSince = null);
            return Fallback();
        }

        if (fallback is { SpotUnavailable: true, Since: { } since })
        {
            _pods.ForEach(pod => pod.FallbackSince ??= since);
            return Fallback();
        }

        return fallback;
    }

    private RebalancePlan Plan()
    {
        var fallback = KeepRecord();
        var context = new PlanningContext(_desired, 1, 1, false, false, true, _now, _lastEviction, TimeSpan.FromSeconds(30), false, fallback.SpotUnavailable,
            fallback.Recorded);
        return RebalancePlanner.Plan(context, [.. _pods.Select(pod => new PodState(
            pod.Name, pod.Type, pod.Ready, pod.Scheduled, false, false, false, false, false, pod.CreatedAt, null, true))]);
    }

    private void Admit()
    {
        var fallback = Fallback();
        var decision = AdmissionPlacement.Choose(new PlacementInput(
            _desired, _pods.Count(pod => pod.Type == CapacityType.Spot), _pods.Count(pod => pod.Type == CapacityType.OnDemand), 0, 0, fallback.SpotUnavailable, null));
        _pods.Add(new Pod($"web-{_created++}", decision.CapacityType, decision.IsFallback, _now)
        {
            FallbackSince = fallback.SpotUnavailable ? fallback.Since : null,
        });
    }

    private void RunFor(TimeSpan duration)
    {
        for (var end = _now + duration; _now < end; _now += Step)
        {
            var plan = Plan();
            Assert.NotEqual(PlanOutcome.WouldBreakFloor, plan.Outcome);
            if (plan.Outcome == PlanOutcome.Act)
            {
                var pod = _pods.Single(candidate => candidate.Name == plan.Action!.PodName);
                _lastEviction = pod.Ready ? _now : _lastEviction;
                _pods.Remove(pod);
                _evictions++;
                Admit();
                Assert.Equal(plan.Action!.To, _pods[^1].Type);
            }

            foreach (var pod in _pods)
            {
                pod.Tick(_now, _spotAvailable);
            }
        }
    }

    private sealed class Pod(string name, CapacityType type, bool isFallback, DateTimeOffset createdAt)
    {
        public string Name { get; } = name;

        public CapacityType Type { get; } = type;

        public bool IsFallback { get; } = isFallback;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public bool Scheduled { get; private set; }

        public bool Ready { get; private set; }

        public DateTimeOffset? UnschedulableSince { get; private set; }

        public DateTimeOffset? FallbackSince { get; set; }

        private DateTimeOffset? _scheduledAt;

        public void Tick(DateTimeOffset now, bool spotAvailable)
        {
            if (!Scheduled)
            {
                if (Type == CapacityType.Spot && !spotAvailable)
                {
                    UnschedulableSince ??= CreatedAt;
                    return;
                }

                Scheduled = true;
                UnschedulableSince = null;
                _scheduledAt = now;
                return;
            }

            Ready = Ready || now - _scheduledAt >= TimeSpan.FromSeconds(20);
        }
    }
}
