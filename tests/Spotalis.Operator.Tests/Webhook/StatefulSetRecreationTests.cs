using Spotalis.Core.Split;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Tests.Webhook;

/// <summary>
/// A StatefulSet pod evicted to move it between capacity types comes back under the same name. The webhook must place
/// it by its ordinal and must not count it twice (once as itself, once as its predecessor), or it lands where it was
/// and the operator keeps moving it.
/// </summary>
public sealed class StatefulSetRecreationTests
{
    private static readonly DateTimeOffset LongAgo = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static PodSnapshot CachePod(string name, int ordinal, string capacityLabel, bool terminating = false) =>
        new("shop", name, $"uid-{name}-{capacityLabel}", [new OwnerRef("StatefulSet", "pg", "sts-uid", true)], "node-1", "Running",
            true, terminating, LongAgo, "web-rev1", capacityLabel, false, null, null, ordinal, new Dictionary<string, string>());

    private static WebhookTestContext ScaledToTwo(out WorkloadSnapshot workload)
    {
        var context = new WebhookTestContext();

        // 2 replicas, 60% spot, floor 1: ordinal 0 on-demand, ordinal 1 on spot.
        workload = context.View.AddStatefulSet("shop", "pg", 2, WebhookTestContext.OptedIn, WebhookTestContext.Split(60, 1));
        Assert.Equal(new DesiredSplit(1, 1), SplitCalculator.Compute(2, 60, 1));
        return context;
    }

    [Fact]
    public void Pod_recreated_while_its_predecessor_is_still_in_the_cache_goes_to_its_ordinals_capacity_type()
    {
        var context = ScaledToTwo(out var workload);

        // pg-1 was on on-demand when the workload had 5 replicas; the operator evicted it, and the watch has not
        // delivered the deletion yet when the StatefulSet controller recreates it.
        context.View.AddPod(workload.Ref, CachePod("pg-0", 0, "on-demand"));
        context.View.AddPod(workload.Ref, CachePod("pg-1", 1, "on-demand"));

        Assert.Equal("spot", context.Admit(TestPods.StatefulSetPod("pg", 1)).CapacityType);
    }

    [Fact]
    public void Pod_recreated_while_its_predecessor_is_terminating_goes_to_its_ordinals_capacity_type()
    {
        var context = ScaledToTwo(out var workload);
        context.View.AddPod(workload.Ref, CachePod("pg-0", 0, "on-demand"));
        context.View.AddPod(workload.Ref, CachePod("pg-1", 1, "on-demand", terminating: true));

        Assert.Equal("spot", context.Admit(TestPods.StatefulSetPod("pg", 1)).CapacityType);
    }

    [Fact]
    public void Pod_recreated_within_the_recent_admission_record_of_its_predecessor_is_not_counted_twice()
    {
        var context = ScaledToTwo(out _);
        Assert.Equal("on-demand", context.Admit(TestPods.StatefulSetPod("pg", 0)).CapacityType);
        Assert.Equal("spot", context.Admit(TestPods.StatefulSetPod("pg", 1)).CapacityType);

        // Evicted and recreated before the cache showed either pod: the record of the first pg-1 is its predecessor.
        context.Time.Advance(TimeSpan.FromSeconds(5));
        for (var recreation = 0; recreation < 3; recreation++)
        {
            Assert.Equal("spot", context.Admit(TestPods.StatefulSetPod("pg", 1)).CapacityType);
        }

        Assert.Equal("on-demand", context.Admit(TestPods.StatefulSetPod("pg", 0)).CapacityType);
    }

    [Fact]
    public void Pods_being_scaled_away_do_not_shift_the_ordinal_targets()
    {
        var context = ScaledToTwo(out var workload);

        // Scale-down 5 -> 2 in progress: pg-2..pg-4 are still live when pg-1 is recreated.
        context.View.AddPod(workload.Ref, CachePod("pg-0", 0, "on-demand"));
        for (var ordinal = 2; ordinal < 5; ordinal++)
        {
            context.View.AddPod(workload.Ref, CachePod($"pg-{ordinal}", ordinal, "spot"));
        }

        Assert.Equal("spot", context.Admit(TestPods.StatefulSetPod("pg", 1)).CapacityType);
    }

    [Fact]
    public void Ordinal_beyond_the_cached_replicas_proves_a_scale_up_the_cache_has_not_shown()
    {
        var context = new WebhookTestContext();

        // The cache still says 1 replica with floor 1 (all on-demand); the apiserver already creates pg-4 of 5.
        context.View.AddStatefulSet("shop", "pg", 1, WebhookTestContext.OptedIn, WebhookTestContext.Split(60, 1));
        var desired = SplitCalculator.Compute(5, 60, 1);
        Assert.True(desired.OnDemand <= 4);

        Assert.Equal("spot", context.Admit(TestPods.StatefulSetPod("pg", 4)).CapacityType);
        Assert.Equal("on-demand", context.Admit(TestPods.StatefulSetPod("pg", 0)).CapacityType);
    }
}
