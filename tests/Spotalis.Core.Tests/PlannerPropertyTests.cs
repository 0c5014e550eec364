using CsCheck;
using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

public sealed class PlannerPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Gen<bool> Chance(int percent) => Gen.Frequency((percent, Gen.Const(true)), (100 - percent, Gen.Const(false)));

    private static readonly Gen<CapacityType?> AnyCapacity =
        Gen.Frequency((45, Gen.Const<CapacityType?>(CapacityType.Spot)), (45, Gen.Const<CapacityType?>(CapacityType.OnDemand)), (10, Gen.Const(default(CapacityType?))));

    private static readonly Gen<PodState> AnyPod =
        Gen.Select(
            Gen.Select(AnyCapacity, Chance(95), Chance(90), Gen.Int[0, 20]),
            Gen.Select(Chance(5), Chance(5), Chance(5)),
            Gen.Select(Chance(20), Chance(10), Chance(70)),
            (basics, phases, flags) => new PodState(
                "pod", basics.Item1, Ready: basics.Item2 && basics.Item3, Scheduled: basics.Item2, Failed: phases.Item1, Succeeded: phases.Item2 && !phases.Item1,
                Terminating: phases.Item3, NodeLeaving: flags.Item1, DoNotDisrupt: flags.Item2, CreatedAt: Start.AddMinutes(basics.Item4), Ordinal: null,
                CurrentRevision: flags.Item3));

    /// <summary>Workloads whose pod count is near the replica count, with a floor that may or may not match the split.</summary>
    private static readonly Gen<(PlanningContext Context, PodState[] Pods)> AnyWorkload =
        Gen.Select(
            AnyPod.Array[0, 12],
            Gen.Select(Gen.Frequency((6, Gen.Const(0)), (1, Gen.Int[-2, 2])), Gen.Int[0, 100], Gen.Int[0, 10], Gen.Int[1, 3]),
            Gen.Select(Chance(30), Chance(20), Chance(80), Chance(20), Chance(30), Gen.Int[0, 60]),
            Gen.Frequency((3, Gen.Const(-1)), (1, Gen.Int[0, 8])),
            (pods, policy, flags, contextFloor) =>
            {
                var (delta, percentage, floor, budget) = policy;
                var (statefulSet, readOnly, windowOpen, spotUnavailable, recentEviction, secondsAgo) = flags;
                var replicas = Math.Max(0, pods.Length + delta);
                var named = pods.Select((pod, index) => pod with { Name = $"pod-{index}", Ordinal = statefulSet ? index : null }).ToArray();
                var now = Start.AddHours(1);
                var context = new PlanningContext(
                    SplitCalculator.Compute(replicas, percentage, floor), contextFloor < 0 ? floor : contextFloor, budget, statefulSet, readOnly, windowOpen,
                    now, recentEviction ? now.AddSeconds(-secondsAgo) : null, TimeSpan.FromSeconds(30), false, spotUnavailable)
                {
                    OrdinalOrder = statefulSet ? new StatefulSetOrder(percentage, floor) : null,
                };
                return (context, named);
            });

    [Fact]
    public void Every_proposed_action_is_safe()
    {
        AnyWorkload.Sample((context, pods) =>
        {
            var plan = RebalancePlanner.Plan(context, pods);
            Assert.False(string.IsNullOrWhiteSpace(plan.Reason));
            Assert.Equal(ActualSplitCalculator.Compute(pods), plan.Actual);
            if (plan.Action is null)
            {
                Assert.NotEqual(PlanOutcome.Act, plan.Outcome);
                return;
            }

            Assert.Contains(plan.Outcome, new[] { PlanOutcome.Act, PlanOutcome.ReadOnly });
            Assert.Equal(context.ReadOnly, plan.Outcome == PlanOutcome.ReadOnly);
            var pod = Assert.Single(pods, candidate => candidate.Name == plan.Action.PodName);
            var actual = plan.Actual;

            // Only live pods of the stated type move, never a protected one, and never toward the type they are on.
            Assert.True(pod.IsLive);
            Assert.False(pod.DoNotDisrupt);
            Assert.Equal(pod.CapacityType, plan.Action.From);
            Assert.NotEqual(plan.Action.From, plan.Action.To);
            Assert.False(context.SpotUnavailable && plan.Action.To == CapacityType.Spot);

            if (pod.Ready)
            {
                // Floor: never below MinOnDemand Ready on-demand pods.
                if (pod.CapacityType == CapacityType.OnDemand)
                {
                    Assert.True(actual.ReadyOnDemand - 1 >= context.MinOnDemand);
                }

                // Budget: pods not Ready, terminating or missing plus this one stay within the budget.
                var unavailable = actual.InFlight + Math.Max(0, context.Desired.Total - actual.Live);
                Assert.True(unavailable + 1 <= context.DisruptionBudget);
                Assert.True(context.WindowOpen);
                Assert.True(context.LastDisruptionAt is null || context.Now - context.LastDisruptionAt >= context.Cooldown);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Failed_and_succeeded_pods_never_change_the_plan()
    {
        Gen.Select(AnyWorkload, AnyPod.Array[1, 5]).Sample((workload, finished) =>
        {
            var (context, pods) = workload;
            var dead = finished.Select((pod, index) => pod with { Name = $"dead-{index}", Failed = index % 2 == 0, Succeeded = index % 2 == 1 });
            var with = RebalancePlanner.Plan(context, [.. pods, .. dead]);
            var without = RebalancePlanner.Plan(context, pods);
            return with.Outcome == without.Outcome && with.Action == without.Action;
        }, iter: 2_000);
    }

    [Fact]
    public void Repeatedly_applying_the_plan_converges_to_the_desired_split_without_oscillation()
    {
        Gen.Select(
            Gen.Select(Gen.Int[0, 20], Gen.Int[0, 100], Gen.Int[0, 6], Gen.Int[1, 3]),
            Gen.Bool.Array[20],
            Gen.Select(Gen.Bool, Gen.Bool.Array[20], Gen.UInt)).Sample((policy, startsOnSpot, shape) =>
        {
            var (replicas, percentage, floor, budget) = policy;
            var (statefulSet, startsReady, seed) = shape;
            var cluster = new SimulatedWorkload(replicas, percentage, floor, budget, statefulSet, new Random((int)seed));
            for (var i = 0; i < replicas; i++)
            {
                cluster.AddInitialPod(startsOnSpot[i] ? CapacityType.Spot : CapacityType.OnDemand, startsReady[i]);
            }

            var distance = cluster.Distance();
            var result = cluster.RunUntilBalanced(maxSteps: 400);

            Assert.True(result.Balanced, $"not balanced after 400 steps: {result.LastReason}");
            Assert.True(result.Evictions <= distance, $"{result.Evictions} evictions for a distance of {distance}: oscillation");
            Assert.False(result.PodMovedTwice, "a pod slot was moved back and forth");
        });
    }
}
