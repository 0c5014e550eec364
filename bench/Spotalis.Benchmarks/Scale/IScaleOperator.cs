namespace Spotalis.Benchmarks.Scale;

/// <summary>The operator under measurement, either in the benchmark's process or as its own <c>spotalis run</c> process.</summary>
internal interface IScaleOperator
{
    /// <summary>What <see cref="Usage"/> covers, for the printed figures.</summary>
    string UsageScope { get; }

    Task<bool> IsSyncedAsync();

    /// <summary>Reconciles so far with <paramref name="result"/> (success, requeue, error), or of all results when null.</summary>
    Task<double> ReconcilesAsync(string? result = null);

    /// <summary>The operator's own count of Balanced workloads (<c>spotalis_workloads{state="Balanced"}</c>).</summary>
    Task<double> BalancedWorkloadsAsync();

    OperatorUsage Usage();
}
