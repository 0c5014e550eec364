using System.Globalization;

namespace Spotalis.Simulation;

/// <summary>
/// The values a sweep tries: "from:to:step" (both ends included when the step lands on them) or a comma list
/// such as "0,50,70,100". Sorted ascending, without duplicates.
/// </summary>
public static class SweepGrid
{
    public const int MaxPoints = 101;

    /// <summary>Parses <paramref name="text"/>; every value must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool TryParse(string? text, int min, int max, out IReadOnlyList<int> values, out string error)
    {
        values = [];
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; use from:to:step (e.g. 0:100:10) or a comma list (e.g. 0,50,70,100)";
            return false;
        }

        var parsed = new SortedSet<int>();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            var parts = text.Split(':');
            if (parts.Length != 3 || !TryInt(parts[0], out var from) || !TryInt(parts[1], out var to) || !TryInt(parts[2], out var step))
            {
                error = "is not from:to:step with three integers (e.g. 0:100:10)";
                return false;
            }

            if (step <= 0 || to < from)
            {
                error = "needs from <= to and a step of at least 1 (e.g. 0:100:10)";
                return false;
            }

            if ((to - from) / step + 1 > MaxPoints)
            {
                error = $"has more than {MaxPoints} points; use a larger step";
                return false;
            }

            for (var v = from; v <= to; v += step)
            {
                parsed.Add(v);
            }
        }
        else
        {
            foreach (var part in text.Split(','))
            {
                if (!TryInt(part, out var v))
                {
                    error = $"has '{part.Trim()}', which is not an integer; use from:to:step or a comma list of integers";
                    return false;
                }

                parsed.Add(v);
            }
        }

        if (parsed.Min < min || parsed.Max > max)
        {
            error = $"has values outside {min}..{max}";
            return false;
        }

        if (parsed.Count > MaxPoints)
        {
            error = $"has more than {MaxPoints} points";
            return false;
        }

        values = parsed.ToList();
        return true;
    }

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
