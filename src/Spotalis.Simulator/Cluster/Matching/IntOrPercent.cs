using System.Globalization;
using k8s.Models;

namespace Spotalis.Simulator.Cluster.Matching;

/// <summary>Resolves intstr values such as maxSurge "25%" or maxUnavailable 1 against a replica count.</summary>
internal static class IntOrPercent
{
    /// <summary>
    /// The absolute value; percentages are of <paramref name="total"/>, rounded up or down as the caller's field
    /// requires. Unparsable values resolve to <paramref name="fallback"/>.
    /// </summary>
    public static int Resolve(IntOrString? value, int total, bool roundUp, int fallback)
    {
        var text = value?.Value;
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        text = text.Trim();
        if (text.EndsWith('%'))
        {
            if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent) || percent < 0)
            {
                return fallback;
            }

            var exact = (long)total * percent;
            return (int)(roundUp ? (exact + 99) / 100 : exact / 100);
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var absolute) && absolute >= 0 ? absolute : fallback;
    }
}
