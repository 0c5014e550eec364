using BenchmarkDotNet.Attributes;
using Spotalis.Core.Capacity;
using Spotalis.Core.Policy;
using Spotalis.Core.Split;

namespace Spotalis.Benchmarks.Core;

/// <summary>Desired split and policy parsing per call. Run: <c>--filter *Core* --job short --inProcess</c>.</summary>
[MemoryDiagnoser]
public class SplitBenchmarks
{
    private readonly Dictionary<string, string> _labels = new() { [SpotalisKeys.Enabled] = "true" };
    private readonly Dictionary<string, string> _annotations = new()
    {
        [SpotalisKeys.SpotPercentage] = "70",
        [SpotalisKeys.MinOnDemand] = "2",
        ["kubectl.kubernetes.io/last-applied-configuration"] = new string('x', 2_000),
    };

    private readonly int _replicas = 10;

    [Benchmark]
    public DesiredSplit Split() => SplitCalculator.Compute(_replicas, 70, 2);

    [Benchmark]
    public PolicyResult ParsePolicy() => PolicyParser.Parse(_labels, _annotations, null);
}
