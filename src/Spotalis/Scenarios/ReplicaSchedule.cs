namespace Spotalis.Scenarios;

/// <summary>How many replicas a workload asks for at each moment of the run (what an HPA or a person would set).</summary>
public abstract record ReplicaSchedule
{
    /// <summary>The replica count at <paramref name="offset"/> from the start of the run.</summary>
    public abstract int At(TimeSpan offset);

    /// <summary>The largest replica count the schedule ever asks for.</summary>
    public abstract int Peak { get; }
}
