namespace Spotalis.Benchmarks.Webhook;

/// <summary>The server process's counters over one run (difference of two <see cref="ServerStats"/> reads).</summary>
internal sealed record ServerCost(
    double CpuPercent,
    int Gen0,
    int Gen1,
    int Gen2,
    double GcPauseMs,
    double MaxGcPauseMs,
    long AllocatedBytes,
    long TlsHandshakes,
    int PeakThreads)
{
    public static ServerCost Between(ServerStats before, ServerStats after, double seconds) => new(
        100 * (after.CpuMs - before.CpuMs) / (seconds * 1000),
        after.Gen0 - before.Gen0,
        after.Gen1 - before.Gen1,
        after.Gen2 - before.Gen2,
        after.GcPauseMs - before.GcPauseMs,
        after.MaxGcPauseMs,
        after.AllocatedBytes - before.AllocatedBytes,
        after.TlsHandshakes - before.TlsHandshakes,
        after.PeakThreads);
}
