using Cronos;

namespace Spotalis.Core.Timing;

/// <summary>
/// When disruptive evictions are allowed: a window opens at every occurrence of a 5-field cron schedule, evaluated in
/// an IANA time zone, and stays open for a duration. <see cref="Always"/> (empty schedule) is always open.
/// </summary>
public sealed class DisruptionWindow
{
    private readonly CronExpression? _schedule;

    private DisruptionWindow(CronExpression? schedule, string expression, TimeSpan duration, TimeZoneInfo timeZone)
    {
        _schedule = schedule;
        Expression = expression;
        Duration = duration;
        TimeZone = timeZone;
    }

    /// <summary>No schedule: disruption is always allowed.</summary>
    public static DisruptionWindow Always { get; } = new(null, string.Empty, TimeSpan.Zero, TimeZoneInfo.Utc);

    public bool IsAlways => _schedule is null;

    public string Expression { get; }

    public TimeSpan Duration { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>
    /// Builds a window. An empty or whitespace schedule gives <see cref="Always"/>; an empty time zone means UTC.
    /// On failure <paramref name="error"/> names the setting, the value and what is allowed.
    /// </summary>
    public static bool TryCreate(string cron, TimeSpan duration, string timeZoneId, out DisruptionWindow? window, out string? error)
    {
        window = null;
        if (string.IsNullOrWhiteSpace(cron))
        {
            window = Always;
            error = null;
            return true;
        }

        var expression = cron.Trim();
        // Cronos also reads macros such as @daily; anything else must have exactly the five standard fields.
        var isMacro = expression.StartsWith('@');
        if ((!isMacro && expression.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length != 5) ||
            !CronExpression.TryParse(expression, CronFormat.Standard, out var schedule))
        {
            error = $"disruptionWindow.schedule \"{cron}\" is not a valid cron expression; allowed: 5 fields (minute hour day-of-month month day-of-week), e.g. \"0 2 * * *\", or a macro such as @daily";
            return false;
        }

        if (duration <= TimeSpan.Zero)
        {
            error = $"disruptionWindow.duration \"{GoDuration.Format(duration)}\" must be positive, e.g. 1h";
            return false;
        }

        if (!TryFindTimeZone(timeZoneId, out var timeZone))
        {
            error = $"disruptionWindow.timeZone \"{timeZoneId}\" is not a known IANA time zone; allowed: e.g. UTC, Europe/Berlin, America/New_York";
            return false;
        }

        window = new DisruptionWindow(schedule, expression, duration, timeZone);
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="now"/> falls in [occurrence, occurrence + duration) of some occurrence.</summary>
    public bool IsOpen(DateTimeOffset now)
    {
        if (_schedule is null)
        {
            return true;
        }

        // The latest occurrence that could still be open is the first one after now - duration.
        var opening = _schedule.GetNextOccurrence(now - Duration, TimeZone, inclusive: false);
        return opening is { } start && start <= now;
    }

    /// <summary>When disruption is next allowed: <paramref name="now"/> if the window is open, null if the schedule never fires again.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset now)
    {
        if (IsOpen(now))
        {
            return now;
        }

        return _schedule!.GetNextOccurrence(now, TimeZone, inclusive: false);
    }

    public override string ToString() =>
        IsAlways ? "always" : $"\"{Expression}\" for {GoDuration.Format(Duration)} ({TimeZone.Id})";

    private static bool TryFindTimeZone(string? id, out TimeZoneInfo timeZone)
    {
        if (string.IsNullOrWhiteSpace(id) || id == "UTC")
        {
            timeZone = TimeZoneInfo.Utc;
            return true;
        }

        try
        {
            timeZone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            timeZone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
