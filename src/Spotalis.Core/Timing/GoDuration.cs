using System.Globalization;
using System.Text;

namespace Spotalis.Core.Timing;

/// <summary>
/// Go <c>time.ParseDuration</c> syntax ("90s", "1h30m", "250ms", "1.5h", "-2m"): a sequence of decimal numbers, each
/// with an optional fraction and a unit (ns, us, µs, ms, s, m, h). A bare "0" is allowed. Values beyond Go's range
/// (about 292 years) are rejected like Go does. Precision is that of <see cref="TimeSpan"/> (100 ns); finer parts are truncated.
/// </summary>
public static class GoDuration
{
    private const decimal NanosecondsPerTick = 100m;
    private const decimal MaxNanoseconds = long.MaxValue;

    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m),
        ("us", 1_000m),
        ("\u00b5s", 1_000m),
        ("\u03bcs", 1_000m),
        ("ms", 1_000_000m),
        ("s", 1_000_000_000m),
        ("m", 60m * 1_000_000_000m),
        ("h", 3_600m * 1_000_000_000m),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var position = 0;
        var negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            position = 1;
        }

        if (text.AsSpan(position).SequenceEqual("0"))
        {
            return true;
        }

        if (position == text.Length)
        {
            return false;
        }

        var totalNanoseconds = 0m;
        while (position < text.Length)
        {
            if (!TryReadNumber(text, ref position, out var number) ||
                !TryReadUnit(text, ref position, out var unitNanoseconds))
            {
                return false;
            }

            // Any number above the largest representable value is an overflow whatever the unit.
            if (number > MaxNanoseconds)
            {
                return false;
            }

            totalNanoseconds += number * unitNanoseconds;
            if (totalNanoseconds > MaxNanoseconds)
            {
                return false;
            }
        }

        var ticks = (long)decimal.Truncate(totalNanoseconds / NanosecondsPerTick);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Formats compactly in Go syntax, omitting zero units: "5m", "1h30m", "1m30s", "250ms", "1.5s", "0s".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        var ticks = duration.Ticks;
        if (ticks < 0)
        {
            builder.Append('-');
        }

        // Work on the magnitude as an unsigned value so that TimeSpan.MinValue does not overflow.
        var magnitude = ticks < 0 ? (ulong)-(ticks + 1) + 1 : (ulong)ticks;
        if (magnitude < TimeSpan.TicksPerSecond)
        {
            AppendSubSecond(builder, magnitude);
            return builder.ToString();
        }

        var hours = magnitude / TimeSpan.TicksPerHour;
        var minutes = magnitude % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute;
        var secondTicks = magnitude % TimeSpan.TicksPerMinute;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (minutes > 0)
        {
            builder.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        if (secondTicks > 0)
        {
            AppendWithFraction(builder, secondTicks, (ulong)TimeSpan.TicksPerSecond, "s");
        }

        return builder.ToString();
    }

    private static void AppendSubSecond(StringBuilder builder, ulong ticks)
    {
        const ulong ticksPerMicrosecond = 10;
        if (ticks >= (ulong)TimeSpan.TicksPerMillisecond)
        {
            AppendWithFraction(builder, ticks, (ulong)TimeSpan.TicksPerMillisecond, "ms");
        }
        else if (ticks >= ticksPerMicrosecond)
        {
            AppendWithFraction(builder, ticks, ticksPerMicrosecond, "us");
        }
        else
        {
            builder.Append((ticks * 100).ToString(CultureInfo.InvariantCulture)).Append("ns");
        }
    }

    private static void AppendWithFraction(StringBuilder builder, ulong ticks, ulong ticksPerUnit, string unit)
    {
        builder.Append((ticks / ticksPerUnit).ToString(CultureInfo.InvariantCulture));
        var remainder = ticks % ticksPerUnit;
        if (remainder > 0)
        {
            var digits = (int)Math.Round(Math.Log10(ticksPerUnit));
            var fraction = remainder.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
            builder.Append('.').Append(fraction);
        }

        builder.Append(unit);
    }

    private static bool TryReadNumber(string text, ref int position, out decimal number)
    {
        number = 0m;
        var integerDigits = ReadDigits(text, ref position, ref number, fractional: false);
        var fractionDigits = 0;
        if (position < text.Length && text[position] == '.')
        {
            position++;
            fractionDigits = ReadDigits(text, ref position, ref number, fractional: true);
        }

        return integerDigits + fractionDigits > 0;
    }

    private static int ReadDigits(string text, ref int position, ref decimal number, bool fractional)
    {
        var start = position;
        var scale = 0.1m;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            var digit = text[position] - '0';
            if (fractional)
            {
                // Digits beyond decimal's precision cannot change the tick count.
                if (scale > 0m)
                {
                    number += digit * scale;
                    scale /= 10m;
                }
            }
            else if (number <= MaxNanoseconds)
            {
                number = (number * 10m) + digit;
            }

            position++;
        }

        return position - start;
    }

    private static bool TryReadUnit(string text, ref int position, out decimal nanoseconds)
    {
        var start = position;
        while (position < text.Length && !char.IsAsciiDigit(text[position]) && text[position] != '.')
        {
            position++;
        }

        var unit = text.AsSpan(start, position - start);
        foreach (var (name, value) in Units)
        {
            if (unit.SequenceEqual(name))
            {
                nanoseconds = value;
                return true;
            }
        }

        nanoseconds = 0m;
        return false;
    }
}
