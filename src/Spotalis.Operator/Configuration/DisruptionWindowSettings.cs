namespace Spotalis.Operator.Configuration;

/// <summary>Optional cron disruption window; evictions only while it is open.</summary>
public sealed record DisruptionWindowSettings
{
    /// <summary>5-field cron expression; empty = always open.</summary>
    public string Schedule { get; init; } = "";

    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(1);

    public string TimeZone { get; init; } = "UTC";
}
