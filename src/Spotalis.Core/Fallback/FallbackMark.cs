using System.Globalization;

namespace Spotalis.Core.Fallback;

/// <summary>Reads and writes the value of the <c>spotalis.io/fallback-since</c> pod annotation (RFC 3339, UTC, seconds).</summary>
public static class FallbackMark
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static string Write(DateTimeOffset since) => since.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>The time, or null when absent or unreadable (an unreadable mark is no evidence).</summary>
    public static DateTimeOffset? Parse(string? value) =>
        !string.IsNullOrWhiteSpace(value) &&
        DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var since)
            ? since
            : null;
}
