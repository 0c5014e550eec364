using System.Globalization;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>Latency percentiles and throughput of one run, with what it cost the server process.</summary>
internal sealed record LoadResult(string Target, string Mode, int Requests, int Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs)
{
    public double Throughput => Requests / Seconds;

    /// <summary>TCP+TLS connections the client opened during the run (each one a server-side handshake).</summary>
    public long ConnectionsOpened { get; init; }

    public ServerCost? Server { get; init; }

    /// <summary>Open loop only: how late the sender itself started the 99th-percentile request (included in the latencies).</summary>
    public double? SendLagP99Ms { get; init; }

    public const string Header =
        "| mode | endpoint | requests | errors | req/s | p50 ms | p99 ms | max ms | send lag p99 ms | new TLS conns | server CPU | server GCs 0/1/2 | GC pause ms (max) | alloc KB/req | peak pool threads |\n" +
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";

    public static LoadResult From(string target, string mode, List<double> latenciesMs, int errors, double seconds)
    {
        latenciesMs.Sort();
        double Percentile(double p) => latenciesMs.Count == 0 ? double.NaN : latenciesMs[Math.Min(latenciesMs.Count - 1, (int)Math.Ceiling(p * latenciesMs.Count) - 1)];
        return new LoadResult(target, mode, latenciesMs.Count, errors, seconds, Percentile(0.50), Percentile(0.99), latenciesMs.Count == 0 ? double.NaN : latenciesMs[^1]);
    }

    public string ToRow()
    {
        var server = Server is { PeakThreads: < 0 } cpuOnly
            ? string.Create(CultureInfo.InvariantCulture, $"{cpuOnly.CpuPercent:F0} % | - | - | - | -")
            : Server is { } s
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"{s.CpuPercent:F0} % | {s.Gen0}/{s.Gen1}/{s.Gen2} | {s.GcPauseMs:F0} ({s.MaxGcPauseMs:F1}) | {s.AllocatedBytes / 1024.0 / Math.Max(1, Requests):F1} | {s.PeakThreads}")
            : "- | - | - | - | -";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {Mode} | {Target} | {Requests} | {Errors} | {Throughput:F0} | {P50Ms:F2} | {P99Ms:F2} | {MaxMs:F1} | {(SendLagP99Ms is { } lag ? lag.ToString("F2", CultureInfo.InvariantCulture) : "-")} | {ConnectionsOpened} | {server} |");
    }
}
