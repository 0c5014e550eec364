using BenchmarkDotNet.Attributes;
using Spotalis.Core.Admission;
using Spotalis.Core.Capacity;
using Spotalis.Core.Split;

namespace Spotalis.Benchmarks.Core;

/// <summary>The webhook's placement decision per admitted pod. Run: <c>--filter *Core* --job short --inProcess</c>.</summary>
[MemoryDiagnoser]
public class PlacementBenchmarks
{
    private readonly PlacementInput _input = new(new DesiredSplit(7, 3), CurrentSpot: 4, CurrentOnDemand: 3, RecentSpot: 1, RecentOnDemand: 0, SpotUnavailable: false, StatefulSetOrdinal: null);
    private readonly RecentAdmissions _recent = new(TimeProvider.System, TimeSpan.FromSeconds(30));

    [Benchmark]
    public PlacementDecision Choose() => AdmissionPlacement.Choose(_input);

    [Benchmark]
    public (int Spot, int OnDemand) RecordAndCount()
    {
        _recent.Record("Deployment/shop/api", "api-x", CapacityType.Spot);
        return _recent.Count("Deployment/shop/api");
    }
}
