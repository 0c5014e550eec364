using System.Globalization;

namespace Spotalis.Benchmarks.Scale;

internal static class BenchArgs
{
    public static double Number(string[] args, string name, double fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
