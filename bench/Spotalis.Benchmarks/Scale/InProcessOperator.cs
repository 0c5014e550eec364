using System.Diagnostics;
using Spotalis.Operator.Hosting;

namespace Spotalis.Benchmarks.Scale;

/// <summary>An operator host in the benchmark's own process: its usage figures include the simulator's.</summary>
internal sealed class InProcessOperator(OperatorHost host) : IScaleOperator
{
    public string UsageScope => "simulator + operator, one process";

    public Task<bool> IsSyncedAsync() => Task.FromResult(host.Cache.IsSynced);

    public Task<double> ReconcilesAsync(string? result = null) =>
        Task.FromResult((result is null ? ["success", "requeue", "error"] : new[] { result }).Sum(r => host.Metrics.Reconciles.WithLabels(r).Value));

    public Task<double> BalancedWorkloadsAsync() => Task.FromResult(host.Metrics.Workloads.WithLabels("Balanced").Value);

    public OperatorUsage Usage()
    {
        using var process = Process.GetCurrentProcess();
        return new OperatorUsage(process.TotalProcessorTime, process.WorkingSet64, process.PeakWorkingSet64);
    }
}
