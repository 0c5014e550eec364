using Microsoft.Extensions.Time.Testing;
using Spotalis.Core.Admission;
using Spotalis.Core.Capacity;

namespace Spotalis.Core.Tests;

public sealed class RecentAdmissionsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Counts_admissions_per_workload_and_capacity_type()
    {
        var admissions = new RecentAdmissions(_time, TimeSpan.FromSeconds(30));
        admissions.Record("ns/web", "web-1", CapacityType.Spot);
        admissions.Record("ns/web", "web-2", CapacityType.Spot);
        admissions.Record("ns/web", "web-3", CapacityType.OnDemand);
        admissions.Record("ns/api", "api-1", CapacityType.OnDemand);

        Assert.Equal((2, 1), admissions.Count("ns/web"));
        Assert.Equal((0, 1), admissions.Count("ns/api"));
        Assert.Equal((0, 0), admissions.Count("ns/other"));
    }

    [Fact]
    public void Admissions_expire_after_the_ttl()
    {
        var admissions = new RecentAdmissions(_time, TimeSpan.FromSeconds(30));
        admissions.Record("ns/web", "web-1", CapacityType.Spot);
        _time.Advance(TimeSpan.FromSeconds(20));
        admissions.Record("ns/web", "web-2", CapacityType.OnDemand);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal((0, 1), admissions.Count("ns/web"));

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal((0, 0), admissions.Count("ns/web"));
    }

    [Fact]
    public void An_admission_stops_counting_once_the_watch_reports_its_pod()
    {
        var admissions = new RecentAdmissions(_time, TimeSpan.FromMinutes(1));
        admissions.Record("ns/web", "uid-1", CapacityType.Spot);
        admissions.Record("ns/web", "uid-2", CapacityType.Spot);

        admissions.Observe("uid-1");
        admissions.Observe("unknown");

        Assert.Equal((1, 0), admissions.Count("ns/web"));
        Assert.Equal(1, admissions.Pending);
        admissions.Observe("uid-2");
        Assert.Equal((0, 0), admissions.Count("ns/web"));
        Assert.Equal(0, admissions.Pending);
    }

    [Fact]
    public void Recording_the_same_pod_twice_counts_it_once_with_the_latest_type()
    {
        var admissions = new RecentAdmissions(_time, TimeSpan.FromMinutes(1));
        admissions.Record("ns/web", "web-1", CapacityType.Spot);
        admissions.Record("ns/web", "web-1", CapacityType.OnDemand);

        Assert.Equal((0, 1), admissions.Count("ns/web"));
    }

    [Fact]
    public void An_admission_needs_an_id()
    {
        var admissions = new RecentAdmissions(_time, TimeSpan.FromMinutes(1));
        Assert.Throws<ArgumentException>(() => admissions.Record("ns/web", "", CapacityType.Spot));
    }

    [Fact]
    public async Task Concurrent_recording_loses_nothing()
    {
        var admissions = new RecentAdmissions(_time, TimeSpan.FromMinutes(1));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                admissions.Record("ns/web", $"pod-{worker}-{i}", i % 2 == 0 ? CapacityType.Spot : CapacityType.OnDemand);
                if (i % 50 == 0)
                {
                    _ = admissions.Count("ns/web");
                }
            }
        })));

        Assert.Equal((2000, 2000), admissions.Count("ns/web"));
    }

    [Fact]
    public void Rejects_a_missing_clock()
    {
        Assert.Throws<ArgumentNullException>(() => new RecentAdmissions(null!, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_pod_the_watch_delivers_while_a_review_reads_counts_exactly_once(bool deliveredBeforeThePodsAreRead)
    {
        // Two on-demand admissions in flight; the watch delivers the first pod while the next review decides.
        var admissions = new RecentAdmissions(_time, TimeSpan.FromSeconds(30));
        admissions.Record("ns/web", "a1", CapacityType.OnDemand);
        admissions.Record("ns/web", "a2", CapacityType.OnDemand);

        var unseen = admissions.Snapshot("ns/web");
        HashSet<string> podsRead;
        if (deliveredBeforeThePodsAreRead)
        {
            admissions.Observe("a1");
            podsRead = ["a1"];
        }
        else
        {
            podsRead = [];
            admissions.Observe("a1");
        }

        var (spot, onDemand) = unseen.CountExcept(podsRead);
        Assert.Equal((0, 2), (spot, onDemand + podsRead.Count));
        Assert.Equal((0, 1), admissions.Count("ns/web"));
    }

    [Fact]
    public void A_snapshot_leaves_out_expired_admissions_and_other_workloads()
    {
        var admissions = new RecentAdmissions(_time, TimeSpan.FromSeconds(30));
        admissions.Record("ns/web", "old", CapacityType.Spot);
        _time.Advance(TimeSpan.FromSeconds(20));
        admissions.Record("ns/web", "new", CapacityType.Spot);
        admissions.Record("ns/api", "other", CapacityType.OnDemand);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal((1, 0), admissions.Snapshot("ns/web").CountExcept(new HashSet<string>()));
        Assert.True(admissions.Snapshot("ns/none").IsEmpty);
    }

    [Fact]
    public void Expired_admissions_leave_the_ledger_when_a_review_takes_its_snapshot()
    {
        var admissions = new RecentAdmissions(_time, TimeSpan.FromSeconds(30));
        admissions.Record("ns/web", "never-seen", CapacityType.Spot);
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.True(admissions.Snapshot("ns/web").IsEmpty);
        Assert.Equal(0, admissions.Pending);
    }
}
