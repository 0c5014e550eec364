using System.Globalization;

namespace Spotalis.Benchmarks.Scale;

/// <summary>
/// CPU time and resident memory of one process, read from <c>/proc</c>. Resident memory is split as the kernel counts
/// it: anonymous (GC heap and native allocations), file-backed (mapped assemblies and native libraries) and shared
/// memory (the runtime's double-mapped JIT code when W^X is on).
/// </summary>
internal readonly record struct OperatorUsage(TimeSpan Cpu, long RssBytes, long PeakRssBytes, long AnonymousBytes = 0, long FileBytes = 0, long SharedBytes = 0)
{
    /// <summary>USER_HZ, which is 100 on every Linux architecture .NET runs on.</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>VmRSS, VmHWM and RssAnon/RssFile/RssShmem from <c>/proc/&lt;pid&gt;/status</c>, utime + stime from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public static OperatorUsage Read(int pid)
    {
        var status = File.ReadLines($"/proc/{pid}/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1].Trim()[..^3], CultureInfo.InvariantCulture) * 1024, StringComparer.Ordinal);

        // The command name (field 2) is in parentheses and may hold spaces; fields 14 and 15 (utime, stime) follow it.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new OperatorUsage(
            TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond),
            status.GetValueOrDefault("VmRSS"),
            status.GetValueOrDefault("VmHWM"),
            status.GetValueOrDefault("RssAnon"),
            status.GetValueOrDefault("RssFile"),
            status.GetValueOrDefault("RssShmem"));
    }

    /// <summary>"anon 60 MB, files 70 MB, shmem 30 MB" when known (read from /proc), else empty.</summary>
    public string Breakdown() => AnonymousBytes + FileBytes + SharedBytes == 0
        ? ""
        : $" (anon {ProcessSample.Mb(AnonymousBytes)}, files {ProcessSample.Mb(FileBytes)}, shmem {ProcessSample.Mb(SharedBytes)})";
}
