using Spotalis.Core.Policy;

namespace Spotalis.Core.Timing;

/// <summary>The disruption window that applies to one workload: its own (Go keys, see <see cref="WorkloadPolicy.DisruptionSchedule"/>) or the global one.</summary>
public static class WorkloadDisruptionWindow
{
    /// <summary>
    /// The workload's window, read in the global window's time zone, or <paramref name="global"/> when the workload
    /// sets none. The parser only fills <see cref="WorkloadPolicy.DisruptionSchedule"/> with a window that builds; an
    /// unreadable one is a policy error, and an invalid policy evicts nothing.
    /// </summary>
    public static DisruptionWindow Resolve(WorkloadPolicy policy, DisruptionWindow global)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(global);
        if (policy.DisruptionSchedule is null)
        {
            return global;
        }

        var timeZone = global.TimeZone == TimeZoneInfo.Utc ? "UTC" : global.TimeZone.Id;
        return DisruptionWindow.TryCreate(policy.DisruptionSchedule, policy.DisruptionDuration, timeZone, out var window, out _) ? window! : global;
    }
}
