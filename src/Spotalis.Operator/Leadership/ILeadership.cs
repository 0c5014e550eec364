namespace Spotalis.Operator.Leadership;

/// <summary>
/// Whether this replica leads. Only the leader disrupts (evicts, annotates) and advertises its webhook; every replica
/// keeps its cache warm, evaluates workloads and serves admission. Work that only the leader may do asks
/// <see cref="IsLeader"/> right before it acts.
/// </summary>
public interface ILeadership
{
    /// <summary>This replica's name in the Lease.</summary>
    string Identity { get; }

    bool IsLeader { get; }

    /// <summary>Raised when this replica becomes the leader (re-queue everything, advertise at once).</summary>
    event Action? StartedLeading;
}
