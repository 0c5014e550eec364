using System.Globalization;

namespace Spotalis.Benchmarks.Scale;

internal static class BenchArgs
{
    public static double Number(string[] args, string name, double fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static string? Text(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>Every value of a repeated option, e.g. <c>--env A=1 --env B=2</c>.</summary>
    public static IReadOnlyList<string> All(string[] args, string name) =>
        args.Select((arg, index) => (arg, index)).Where(p => p.arg == name && p.index + 1 < args.Length).Select(p => args[p.index + 1]).ToList();
}
