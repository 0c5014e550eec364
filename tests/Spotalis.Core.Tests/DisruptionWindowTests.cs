using Spotalis.Core.Timing;

namespace Spotalis.Core.Tests;

public sealed class DisruptionWindowTests
{
    private static DisruptionWindow Create(string cron, TimeSpan duration, string timeZone = "UTC")
    {
        Assert.True(DisruptionWindow.TryCreate(cron, duration, timeZone, out var window, out var error), error);
        Assert.Null(error);
        return window!;
    }

    private static DateTimeOffset Utc(int hour, int minute, int day = 5) => new(2026, 1, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_schedule_is_always_open(string cron)
    {
        var window = Create(cron, TimeSpan.FromHours(1));

        Assert.Same(DisruptionWindow.Always, window);
        Assert.True(window.IsAlways);
        Assert.True(window.IsOpen(Utc(3, 0)));
        Assert.Equal(Utc(3, 0), window.NextOpening(Utc(3, 0)));
        Assert.Equal("always", window.ToString());
    }

    [Theory]
    [InlineData(1, 59, false)]
    [InlineData(2, 0, true)]
    [InlineData(2, 30, true)]
    [InlineData(2, 59, true)]
    [InlineData(3, 0, false)]
    [InlineData(23, 0, false)]
    public void Window_is_open_from_each_occurrence_for_the_duration(int hour, int minute, bool open)
    {
        var window = Create("0 2 * * *", TimeSpan.FromHours(1));

        Assert.Equal(open, window.IsOpen(Utc(hour, minute)));
    }

    [Fact]
    public void Next_opening_is_the_next_occurrence_when_closed_and_now_when_open()
    {
        var window = Create("0 2 * * *", TimeSpan.FromHours(1));

        Assert.Equal(Utc(2, 0, day: 6), window.NextOpening(Utc(3, 0)));
        Assert.Equal(Utc(2, 0), window.NextOpening(Utc(1, 0)));
        Assert.Equal(Utc(2, 30), window.NextOpening(Utc(2, 30)));
    }

    [Fact]
    public void Windows_spanning_midnight_work()
    {
        var window = Create("0 23 * * *", TimeSpan.FromHours(3));

        Assert.True(window.IsOpen(Utc(1, 30, day: 6)));
        Assert.False(window.IsOpen(Utc(2, 0, day: 6)));
    }

    [Fact]
    public void Schedule_is_evaluated_in_the_given_time_zone()
    {
        // 02:00 in Berlin is 01:00 UTC in January (CET, UTC+1).
        var window = Create("0 2 * * *", TimeSpan.FromMinutes(30), "Europe/Berlin");

        Assert.True(window.IsOpen(Utc(1, 10)));
        Assert.False(window.IsOpen(Utc(2, 10)));
        Assert.Equal("\"0 2 * * *\" for 30m (Europe/Berlin)", window.ToString());
    }

    [Fact]
    public void Weekday_schedules_skip_the_weekend()
    {
        var window = Create("0 2 * * 1-5", TimeSpan.FromHours(1));

        // 2026-01-10 is a Saturday; the next window opens on Monday 2026-01-12.
        Assert.False(window.IsOpen(Utc(2, 15, day: 10)));
        Assert.Equal(Utc(2, 0, day: 12), window.NextOpening(Utc(2, 15, day: 10)));
    }

    [Fact]
    public void A_schedule_that_never_fires_has_no_next_opening()
    {
        var window = Create("0 0 30 2 *", TimeSpan.FromHours(1));

        Assert.False(window.IsOpen(Utc(0, 0)));
        Assert.Null(window.NextOpening(Utc(0, 0)));
    }

    [Theory]
    [InlineData("* * * *", "disruptionWindow.schedule \"* * * *\" is not a valid cron expression; allowed: 5 fields (minute hour day-of-month month day-of-week), e.g. \"0 2 * * *\", or a macro such as @daily")]
    [InlineData("0 0 2 * * *", "disruptionWindow.schedule \"0 0 2 * * *\" is not a valid cron expression; allowed: 5 fields (minute hour day-of-month month day-of-week), e.g. \"0 2 * * *\", or a macro such as @daily")]
    [InlineData("61 2 * * *", "disruptionWindow.schedule \"61 2 * * *\" is not a valid cron expression; allowed: 5 fields (minute hour day-of-month month day-of-week), e.g. \"0 2 * * *\", or a macro such as @daily")]
    [InlineData("@sometimes", "disruptionWindow.schedule \"@sometimes\" is not a valid cron expression; allowed: 5 fields (minute hour day-of-month month day-of-week), e.g. \"0 2 * * *\", or a macro such as @daily")]
    [InlineData("at night", "disruptionWindow.schedule \"at night\" is not a valid cron expression; allowed: 5 fields (minute hour day-of-month month day-of-week), e.g. \"0 2 * * *\", or a macro such as @daily")]
    public void Invalid_schedules_are_rejected_with_a_clear_message(string cron, string message)
    {
        Assert.False(DisruptionWindow.TryCreate(cron, TimeSpan.FromHours(1), "UTC", out var window, out var error));
        Assert.Null(window);
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void Non_positive_durations_are_rejected(int seconds)
    {
        Assert.False(DisruptionWindow.TryCreate("0 2 * * *", TimeSpan.FromSeconds(seconds), "UTC", out _, out var error));
        Assert.StartsWith("disruptionWindow.duration \"", error, StringComparison.Ordinal);
        Assert.EndsWith("\" must be positive, e.g. 1h", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("utc+2")]
    public void Unknown_time_zones_are_rejected(string timeZone)
    {
        Assert.False(DisruptionWindow.TryCreate("0 2 * * *", TimeSpan.FromHours(1), timeZone, out _, out var error));
        Assert.Equal($"disruptionWindow.timeZone \"{timeZone}\" is not a known IANA time zone; allowed: e.g. UTC, Europe/Berlin, America/New_York", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UTC")]
    [InlineData("Etc/UTC")]
    [InlineData("America/New_York")]
    public void Known_time_zones_are_accepted(string timeZone)
    {
        var window = Create("0 2 * * *", TimeSpan.FromHours(1), timeZone);

        Assert.False(window.IsAlways);
        Assert.Equal(TimeSpan.FromHours(1), window.Duration);
        Assert.Equal("0 2 * * *", window.Expression);
    }

    [Fact]
    public void Macros_are_accepted()
    {
        var window = Create("@daily", TimeSpan.FromHours(1));

        Assert.True(window.IsOpen(Utc(0, 30)));
        Assert.False(window.IsOpen(Utc(1, 30)));
    }
}
