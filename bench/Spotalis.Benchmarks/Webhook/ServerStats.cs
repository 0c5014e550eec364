namespace Spotalis.Benchmarks.Webhook;

/// <summary>
/// Cumulative counters of the server process (GC, CPU, TLS handshakes), plus thread-pool peaks since the previous
/// read; the load generator takes the difference around each run.
/// </summary>
internal sealed record ServerStats(
    double CpuMs,
    int Gen0,
    int Gen1,
    int Gen2,
    double GcPauseMs,
    long AllocatedBytes,
    long TlsHandshakes,
    double TlsHandshakeMs,
    long CompletedWorkItems,
    int PeakThreads,
    long PeakQueuedWorkItems,
    double MaxGcPauseMs);
