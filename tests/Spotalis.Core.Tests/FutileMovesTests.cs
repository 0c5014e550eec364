using Spotalis.Core.Capacity;
using Spotalis.Core.Steering;

namespace Spotalis.Core.Tests;

public sealed class FutileMovesTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static MoveRecord Move(params string[] existingUids) =>
        new("web-a", CapacityType.Spot, CapacityType.OnDemand, At, existingUids.ToHashSet(StringComparer.Ordinal));

    [Fact]
    public void The_replacement_is_the_oldest_pod_created_after_the_eviction_that_did_not_exist_before()
    {
        var pods = new[]
        {
            new ReplacementFacts("old", "u1", At.AddMinutes(-10), CapacityType.Spot, true),
            new ReplacementFacts("second", "u3", At.AddSeconds(5), CapacityType.Spot, true),
            new ReplacementFacts("first", "u2", At.AddSeconds(2), CapacityType.OnDemand, true),
        };

        Assert.Equal("first", FutileMoves.ReplacementOf(Move("u1"), pods, new HashSet<string>())!.Name);
        Assert.Equal("second", FutileMoves.ReplacementOf(Move("u1"), pods, new HashSet<string> { "u2" })!.Name);
    }

    [Theory]
    [InlineData(CapacityType.OnDemand, true, MoveVerdict.Steered)]
    [InlineData(CapacityType.Spot, true, MoveVerdict.Futile)]
    [InlineData(CapacityType.OnDemand, false, MoveVerdict.Unplaced)]
    public void A_move_is_judged_by_where_its_replacement_landed(CapacityType landed, bool placed, MoveVerdict verdict)
    {
        Assert.Equal(verdict, FutileMoves.Judge(Move(), new ReplacementFacts("new", "u9", At.AddSeconds(1), landed, placed)));
    }

    [Fact]
    public void No_replacement_yet_is_no_verdict()
    {
        Assert.Equal(MoveVerdict.Unknown, FutileMoves.Judge(Move(), null));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 5)]
    [InlineData(3, 10)]
    [InlineData(4, 20)]
    [InlineData(10, 60)]
    public void Evictions_pause_after_the_limit_and_the_pause_doubles_up_to_the_cap(int futileInARow, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), FutileMoves.PauseAfter(futileInARow, 2, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)));
    }
}
