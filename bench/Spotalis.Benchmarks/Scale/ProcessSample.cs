using System.Diagnostics;

namespace Spotalis.Benchmarks.Scale;

/// <summary>This process's resource use at one moment.</summary>
internal readonly record struct ProcessSample(TimeSpan Cpu, long RssBytes, long ManagedHeapBytes)
{
    public static ProcessSample Now()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessSample(process.TotalProcessorTime, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false));
    }

    public static ProcessSample AfterFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return new ProcessSample(process.TotalProcessorTime, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
    }

    public static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F0} MB";
}
