using System.Globalization;
using System.Text;

namespace Spotalis.Reporting;

/// <summary>Durations and cluster times for people: "0s", "45s", "2h 30m", "1d 4h", never "1.00:00:00".</summary>
public static class HumanDuration
{
    public static string Format(double seconds)
    {
        var total = (long)Math.Round(Math.Max(0, seconds));
        if (total == 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        Append(text, total / 86400, "d");
        Append(text, total % 86400 / 3600, "h");
        Append(text, total % 3600 / 60, "m");
        Append(text, total % 60, "s");
        return text.ToString();
    }

    private static void Append(StringBuilder text, long value, string unit)
    {
        if (value == 0)
        {
            return;
        }

        if (text.Length > 0)
        {
            text.Append(' ');
        }

        text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
    }
}
