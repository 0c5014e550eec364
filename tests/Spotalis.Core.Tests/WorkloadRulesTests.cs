using CsCheck;
using Spotalis.Core.Timing;
using Spotalis.Core.Workloads;

namespace Spotalis.Core.Tests;

public sealed class WorkloadRulesTests
{
    [Theory]
    [InlineData("Running", false, true)]
    [InlineData("Pending", false, true)]
    [InlineData(null, false, true)]
    [InlineData("Running", true, false)]
    [InlineData("Succeeded", false, false)]
    [InlineData("Failed", false, false)]
    public void Only_pods_that_neither_finished_nor_terminate_are_live(string? phase, bool terminating, bool live) =>
        Assert.Equal(live, PodLiveness.IsLive(phase, terminating));

    [Theory]
    [InlineData(false, 3, 3, false)]
    [InlineData(true, 3, 3, true)]
    [InlineData(false, 4, 3, true)]
    [InlineData(false, 4, 0, false)]
    public void A_rollout_is_in_progress_while_older_pods_run_or_the_spec_is_not_observed(bool olderRunning, long generation, long observed, bool inProgress) =>
        Assert.Equal(inProgress, RolloutProgress.InProgress(olderRunning, generation, observed));

    [Theory]
    [InlineData("abc", "abc", false)]
    [InlineData("abc", "old", true)]
    [InlineData(null, "old", false)]
    [InlineData("abc", null, false)]
    public void Only_a_known_other_revision_is_older(string? current, string? pod, bool older) =>
        Assert.Equal(older, RolloutProgress.IsOlderRevision(current, pod));

    [Fact]
    public void The_current_replica_set_has_the_highest_revision_and_then_the_newest_creation()
    {
        var t = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var sets = new[] { ("a", 1L, t), ("b", 2L, t), ("c", 2L, t.AddMinutes(1)) };
        Assert.Equal("c", RolloutProgress.CurrentReplicaSet(sets, s => s.Item2, s => s.Item3).Item1);
    }

    [Fact]
    public void Only_deployments_and_stateful_sets_are_managed()
    {
        Assert.True(WorkloadKinds.IsManaged(WorkloadKinds.Deployment));
        Assert.True(WorkloadKinds.IsManaged(WorkloadKinds.StatefulSet));
        Assert.False(WorkloadKinds.IsManaged(WorkloadKinds.ReplicaSet));
        Assert.False(WorkloadKinds.IsManaged("DaemonSet"));
    }

    [Fact]
    public void Pdb_retries_double_from_one_second_up_to_a_minute() =>
        Gen.Int[1, 100].Sample(blocks =>
        {
            var retry = RequeuePolicy.AfterPdbBlock(blocks);
            Assert.InRange(retry, RequeuePolicy.MinPdbRetry, RequeuePolicy.MaxPdbRetry);
            Assert.True(RequeuePolicy.AfterPdbBlock(blocks + 1) >= retry);
            Assert.Equal(blocks <= 6 ? TimeSpan.FromSeconds(1 << (blocks - 1)) : RequeuePolicy.MaxPdbRetry, retry);
        });

    [Fact]
    public void After_an_eviction_the_next_look_waits_for_the_cooldown()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), RequeuePolicy.AfterEviction(TimeSpan.FromMinutes(1)));
        Assert.Equal(RequeuePolicy.AfterEvictionWithoutCooldown, RequeuePolicy.AfterEviction(TimeSpan.Zero));
    }

    [Fact]
    public void A_due_time_is_looked_at_just_after_it_passes_and_a_passed_one_at_once()
    {
        var now = DateTimeOffset.UnixEpoch;
        Assert.Null(RequeuePolicy.Until(null, now));
        Assert.Equal(TimeSpan.FromSeconds(10) + RequeuePolicy.DueMargin, RequeuePolicy.Until(now.AddSeconds(10), now));
        Assert.Equal(RequeuePolicy.DueMargin, RequeuePolicy.Until(now.AddSeconds(-10), now));
    }

    [Fact]
    public void Rate_limited_workloads_never_retry_before_the_next_token_and_spread_with_their_number() =>
        Gen.Select(Gen.Int[1, 50], Gen.Double[0, 0.999]).Sample((waiting, jitter) =>
        {
            var next = TimeSpan.FromSeconds(1);
            var retry = RequeuePolicy.AfterRateLimit(next, waiting, jitter);
            Assert.True(retry >= next);
            Assert.True(retry <= next * Math.Max(1, waiting * 0.75));
        });
}
