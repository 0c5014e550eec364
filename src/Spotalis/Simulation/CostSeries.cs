namespace Spotalis.Simulation;

/// <summary>Cumulative cost of the run and of the all-on-demand baseline, sampled like the workload series.</summary>
public sealed record CostSeries(IReadOnlyList<int> Seconds, IReadOnlyList<double> Actual, IReadOnlyList<double> Baseline);
