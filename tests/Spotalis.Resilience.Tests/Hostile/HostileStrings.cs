using CsCheck;

namespace Spotalis.Resilience.Tests.Hostile;

/// <summary>Generators of strings an attacker or a careless user could put into a label, annotation or config value.</summary>
internal static class HostileStrings
{
    /// <summary>Hand-picked values that broke parsers elsewhere: overflow, signs, exotic digits and spaces, control and surrogate characters.</summary>
    public static readonly string[] Nasty =
    [
        "", " ", "\t", "\n", " 50", "50 ", "5 0", "+50", "-0", "-1", "00", "050", "50.0", "5e1", "0x32", "1_000",
        "2147483647", "2147483648", "-2147483649", "99999999999999999999999999999999", "NaN", "Infinity", "null", "true",
        "٥٠", "５０", "\u00a050", "50\u200b", "\u202e05", "\0", "\ud800", "\udfff", "😀", "{\"a\":1}", "[1,2]", "'50'", "\"50\"",
        "1h", "1h30m", "-5m", "0s", "9999999999h", "1.5.5h", "h", "5mm", "∞", "%s%s%s%n", "${jndi:ldap://x}", "../../etc/passwd",
        new string('9', 10_000), new string('a', 1_000_000), new string(' ', 100_000), string.Concat(Enumerable.Repeat("1h", 50_000)),
    ];

    /// <summary>One of <paramref name="values"/>.</summary>
    public static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    /// <summary>Any UTF-16 string, short or long, including lone surrogates and control characters.</summary>
    public static readonly Gen<string> AnyString = Gen.OneOf(
        Gen.String,
        Gen.Char.Array[0, 64].Select(chars => new string(chars)),
        HostileStrings.Pick(Nasty),
        Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Long.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
