using System.Globalization;

namespace Spotalis.Benchmarks.Scale;

/// <summary>CPU time, resident memory and peak resident memory of one process, read from <c>/proc</c>.</summary>
internal readonly record struct OperatorUsage(TimeSpan Cpu, long RssBytes, long PeakRssBytes)
{
    /// <summary>USER_HZ, which is 100 on every Linux architecture .NET runs on.</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>VmRSS and VmHWM from <c>/proc/&lt;pid&gt;/status</c>, utime + stime from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public static OperatorUsage Read(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) * 1024;
            }
        }

        // The command name (field 2) is in parentheses and may hold spaces; fields 14 and 15 (utime, stime) follow it.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new OperatorUsage(TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond), rss, peak);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
