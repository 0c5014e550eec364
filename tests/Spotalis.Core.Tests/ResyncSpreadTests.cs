using Spotalis.Core.Timing;

namespace Spotalis.Core.Tests;

public class ResyncSpreadTests
{
    [Theory]
    [InlineData(30, 30)]
    [InlineData(1, 1)]
    [InlineData(0.2, 1)]
    [InlineData(600, ResyncSpread.MaxSlots)]
    public void The_interval_is_cut_into_slots_of_about_a_second_and_at_most_sixty(double seconds, int slots)
    {
        var interval = TimeSpan.FromSeconds(seconds);

        Assert.Equal(slots, ResyncSpread.Slots(interval));
        Assert.Equal(interval, ResyncSpread.SlotLength(interval) * slots);
    }

    [Fact]
    public void Five_thousand_workloads_spread_over_the_slots_so_no_slot_gets_a_burst()
    {
        const int slots = 30;
        var counts = new int[slots];
        for (var i = 0; i < 5000; i++)
        {
            counts[ResyncSpread.SlotOf(slots, "Deployment", $"team-{i % 50:D2}", $"app-{i:D5}")]++;
        }

        // 5,000 / 30 = 167 per slot on average; a burst would put them all in one.
        Assert.All(counts, count => Assert.InRange(count, 100, 250));
    }
}
