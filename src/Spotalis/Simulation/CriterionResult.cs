namespace Spotalis.Simulation;

/// <summary>A success criterion with the value the run measured and the verdict.</summary>
public sealed record CriterionResult(string Metric, string Op, double Value, string? Workload, double? Actual, Verdict Verdict, string Explanation);
