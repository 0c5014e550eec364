using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Reconciliation;
using Spotalis.Views;

namespace Spotalis.Cluster;

/// <summary>Evaluates every workload of a view with the operator's own reconciler logic and turns managed ones into status rows.</summary>
public sealed class WorkloadStatusReader
{
    private readonly IClusterView _view;
    private readonly WorkloadReconciler _reconciler;

    /// <param name="admissionPathProblem">Why the webhook is not in the admission path (from a probe), or null: evictions stop meanwhile.</param>
    public WorkloadStatusReader(IClusterView view, SpotalisConfig config, TimeProvider time, string? admissionPathProblem = null)
    {
        _view = view;
        _reconciler = new WorkloadReconciler(view, new NoWritesPodActions(), ReconcilerOptions.From(config), time, NullLogger.Instance)
        {
            AdmissionPathProblem = () => admissionPathProblem,
        };
    }

    public WorkloadEvaluation Evaluate(WorkloadRef workload) => _reconciler.Evaluate(workload);

    /// <summary>Rows for managed workloads, optionally in one namespace, ordered by namespace, name and kind.</summary>
    public IReadOnlyList<WorkloadStatusRow> Read(string? namespaceName) =>
        _view.GetWorkloads()
            .Where(w => string.IsNullOrEmpty(namespaceName) || w.Ref.Namespace == namespaceName)
            .Select(w => _reconciler.Evaluate(w.Ref))
            .Where(e => e.Managed)
            .Select(ToRow)
            .OrderBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Kind, StringComparer.Ordinal)
            .ToList();

    public static WorkloadStatusRow ToRow(WorkloadEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var policy = evaluation.Policy?.Policy;
        return new WorkloadStatusRow(
            evaluation.Workload.Namespace,
            evaluation.Workload.Name,
            evaluation.Workload.Kind,
            evaluation.Snapshot?.Replicas ?? 0,
            policy?.SpotPercentage ?? 0,
            policy?.MinOnDemand ?? 0,
            evaluation.Desired.Spot,
            evaluation.Desired.OnDemand,
            evaluation.Actual.Spot,
            evaluation.Actual.OnDemand,
            evaluation.Actual.Pending,
            evaluation.State.ToString(),
            evaluation.Reason);
    }
}
