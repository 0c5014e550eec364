using System.Globalization;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>Latency percentiles and throughput of one run.</summary>
internal sealed record LoadResult(string Target, string Mode, int Requests, int Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs)
{
    public double Throughput => Requests / Seconds;

    public static LoadResult From(string target, string mode, List<double> latenciesMs, int errors, double seconds)
    {
        latenciesMs.Sort();
        double Percentile(double p) => latenciesMs.Count == 0 ? double.NaN : latenciesMs[Math.Min(latenciesMs.Count - 1, (int)Math.Ceiling(p * latenciesMs.Count) - 1)];
        return new LoadResult(target, mode, latenciesMs.Count, errors, seconds, Percentile(0.50), Percentile(0.99), latenciesMs.Count == 0 ? double.NaN : latenciesMs[^1]);
    }

    public string ToRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Mode} | {Target} | {Requests} | {Errors} | {Throughput:F0} | {P50Ms:F2} | {P99Ms:F2} | {MaxMs:F1} |");
}
