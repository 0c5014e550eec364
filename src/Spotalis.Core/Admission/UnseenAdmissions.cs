using Spotalis.Core.Capacity;

namespace Spotalis.Core.Admission;

/// <summary>
/// Admissions of one workload as <see cref="RecentAdmissions.Snapshot"/> saw them, each with the admission id the
/// webhook wrote onto its pod.
/// </summary>
public sealed class UnseenAdmissions(IReadOnlyList<KeyValuePair<string, CapacityType>> admissions)
{
    public static UnseenAdmissions None { get; } = new([]);

    /// <summary>True when there is nothing to count (the common case: no admission in flight for the workload).</summary>
    public bool IsEmpty => admissions.Count == 0;

    /// <summary>
    /// Counts the admissions whose pod is not among <paramref name="reportedIds"/> (the admission ids of the pods read
    /// after the snapshot): a pod that is there counts as a pod, so each pod counts exactly once.
    /// </summary>
    public (int Spot, int OnDemand) CountExcept(IReadOnlySet<string> reportedIds)
    {
        ArgumentNullException.ThrowIfNull(reportedIds);
        var spot = 0;
        var onDemand = 0;
        foreach (var (id, capacityType) in admissions)
        {
            if (reportedIds.Contains(id))
            {
                continue;
            }

            if (capacityType == CapacityType.Spot)
            {
                spot++;
            }
            else
            {
                onDemand++;
            }
        }

        return (spot, onDemand);
    }
}
