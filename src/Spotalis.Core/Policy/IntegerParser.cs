namespace Spotalis.Core.Policy;

/// <summary>
/// Strict parsing of integer annotation values: ASCII digits only, no sign, no leading zeros, no whitespace, so that
/// the value a user reads is exactly the value Spotalis uses. Each rejection comes with a short description.
/// </summary>
internal static class IntegerParser
{
    public static bool TryParse(string value, int minimum, int maximum, out int result, out string problem)
    {
        result = 0;
        problem = Validate(value);
        if (problem.Length > 0)
        {
            return false;
        }

        // At most 10 digits fit an int; longer strings of digits are simply too large.
        if (value.Length > 10 || !int.TryParse(value, out result) || result > maximum)
        {
            result = 0;
            problem = $"is greater than {maximum}";
            return false;
        }

        if (result < minimum)
        {
            problem = $"is less than {minimum}";
            result = 0;
            return false;
        }

        return true;
    }

    /// <summary>
    /// The integer forms the Go release accepted (Go's strconv.Atoi, after removing one trailing <c>%</c> when
    /// <paramref name="allowPercent"/>): an optional sign, leading zeros, ASCII digits. Values beyond the range of a
    /// long are clamped, so that they still read as too large or too small.
    /// </summary>
    public static bool TryParseGoForm(string value, bool allowPercent, out long result)
    {
        result = 0;
        var text = allowPercent && value.EndsWith('%') ? value[..^1] : value;
        var digits = text.Length > 0 && text[0] is '+' or '-' ? text[1..] : text;
        if (!IsAsciiDigits(digits))
        {
            return false;
        }

        var trimmed = digits.TrimStart('0');
        var negative = text[0] == '-';
        if (trimmed.Length > 18)
        {
            result = negative ? long.MinValue : long.MaxValue;
            return true;
        }

        result = trimmed.Length == 0 ? 0 : long.Parse(trimmed, System.Globalization.CultureInfo.InvariantCulture);
        result = negative ? -result : result;
        return true;
    }

    private static string Validate(string value)
    {
        if (value.Length == 0)
        {
            return "is empty";
        }

        if (value.Trim() != value)
        {
            return "has leading or trailing whitespace";
        }

        var digits = value.AsSpan();
        if (value[0] is '+' or '-')
        {
            digits = digits[1..];
            if (digits.Length > 0 && IsAsciiDigits(digits))
            {
                return value[0] == '-' && digits.ContainsAnyExcept('0') ? "is negative" : "has a sign";
            }
        }

        if (!IsAsciiDigits(value))
        {
            if (value.Any(char.IsDigit) && value.All(c => char.IsDigit(c) || c is '+' or '-'))
            {
                return "contains non-ASCII digits";
            }

            return value.Any(char.IsAsciiDigit) && value.Count(c => c is '.' or ',') == 1 &&
                   value.All(c => char.IsAsciiDigit(c) || c is '.' or ',' or '-' or '+')
                ? "is not a whole number"
                : "is not an integer";
        }

        return value.Length > 1 && value[0] == '0' ? "has a leading zero" : string.Empty;
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (var character in text)
        {
            if (!char.IsAsciiDigit(character))
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
