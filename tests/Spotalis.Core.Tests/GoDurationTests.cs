using Spotalis.Core.Timing;

namespace Spotalis.Core.Tests;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("90s", 90 * TimeSpan.TicksPerSecond)]
    [InlineData("5m", 5 * TimeSpan.TicksPerMinute)]
    [InlineData("1h30m", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("1h30m15s", (90 * 60 + 15) * TimeSpan.TicksPerSecond)]
    [InlineData("250ms", 250 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1.5h", 90 * TimeSpan.TicksPerMinute)]
    [InlineData(".5s", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("5.s", 5 * TimeSpan.TicksPerSecond)]
    [InlineData("10us", 100L)]
    [InlineData("10\u00b5s", 100L)]
    [InlineData("10\u03bcs", 100L)]
    [InlineData("1500ns", 15L)]
    [InlineData("99ns", 0L)]
    [InlineData("-2m", -2 * TimeSpan.TicksPerMinute)]
    [InlineData("+2m", 2 * TimeSpan.TicksPerMinute)]
    [InlineData("1h1h", 2 * TimeSpan.TicksPerHour)]
    [InlineData("2562047h", 2562047 * TimeSpan.TicksPerHour)]
    [InlineData("0.000000000000000000000000000001s", 0L)]
    public void TryParse_accepts_go_syntax(string text, long ticks)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromTicks(ticks), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("5 m")]
    [InlineData(" 5m")]
    [InlineData("5m ")]
    [InlineData("5M")]
    [InlineData("1d")]
    [InlineData("1w")]
    [InlineData("1h-30m")]
    [InlineData("--1s")]
    [InlineData("1.2.3s")]
    [InlineData("\u0665s")]
    [InlineData("2562048h")]
    [InlineData("9223372036854775808ns")]
    [InlineData("100000000000000000000000000000000000h")]
    public void TryParse_rejects_everything_else(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(90 * TimeSpan.TicksPerSecond, "1m30s")]
    [InlineData(5 * TimeSpan.TicksPerMinute, "5m")]
    [InlineData(90 * TimeSpan.TicksPerMinute, "1h30m")]
    [InlineData(TimeSpan.TicksPerHour + TimeSpan.TicksPerSecond, "1h1s")]
    [InlineData(1500 * TimeSpan.TicksPerMillisecond, "1.5s")]
    [InlineData(250 * TimeSpan.TicksPerMillisecond, "250ms")]
    [InlineData(15_000L, "1.5ms")]
    [InlineData(15L, "1.5us")]
    [InlineData(1L, "100ns")]
    [InlineData(-2 * TimeSpan.TicksPerMinute, "-2m")]
    [InlineData(49 * TimeSpan.TicksPerHour, "49h")]
    public void Format_is_compact_go_syntax(long ticks, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Format_handles_the_extremes()
    {
        Assert.StartsWith("-", GoDuration.Format(TimeSpan.MinValue), StringComparison.Ordinal);
        Assert.EndsWith("s", GoDuration.Format(TimeSpan.MaxValue), StringComparison.Ordinal);
    }
}
