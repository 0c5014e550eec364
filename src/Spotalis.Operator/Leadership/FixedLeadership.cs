namespace Spotalis.Operator.Leadership;

/// <summary>
/// Leadership that never changes: <see cref="Leader"/> for a process that is the only actor (simulations, what-if
/// views), <see cref="Follower"/> for one that must never disrupt.
/// </summary>
public sealed class FixedLeadership : ILeadership
{
    private FixedLeadership(bool isLeader) => IsLeader = isLeader;

    public static FixedLeadership Leader { get; } = new(isLeader: true);

    public static FixedLeadership Follower { get; } = new(isLeader: false);

    public string Identity => IsLeader ? "leader" : "follower";

    public bool IsLeader { get; }

    public event Action? StartedLeading
    {
        add { }
        remove { }
    }
}
