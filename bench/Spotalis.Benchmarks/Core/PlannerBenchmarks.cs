using BenchmarkDotNet.Attributes;
using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Split;

namespace Spotalis.Benchmarks.Core;

/// <summary>One rebalance decision for a workload of <see cref="Replicas"/> pods, all on the wrong capacity type. Run: <c>--filter *Core* --job short --inProcess</c>.</summary>
[MemoryDiagnoser]
public class PlannerBenchmarks
{
    private PodState[] _pods = [];
    private PlanningContext _context = null!;

    [Params(10, 100)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
        _pods = [.. Enumerable.Range(0, Replicas).Select(i => new PodState(
            $"api-{i}", CapacityType.OnDemand, Ready: true, Scheduled: true, Failed: false, Succeeded: false, Terminating: false,
            NodeLeaving: false, DoNotDisrupt: false, now.AddMinutes(-i), Ordinal: null, CurrentRevision: true))];
        _context = new PlanningContext(
            SplitCalculator.Compute(Replicas, 70, 1), MinOnDemand: 1, DisruptionBudget: 1, IsStatefulSet: false, ReadOnly: false,
            WindowOpen: true, now, LastDisruptionAt: null, TimeSpan.FromSeconds(30), RolloutInProgress: false);
    }

    [Benchmark]
    public RebalancePlan Plan() => RebalancePlanner.Plan(_context, _pods);

    [Benchmark]
    public ActualSplit Actual() => ActualSplitCalculator.Compute(_pods);
}
