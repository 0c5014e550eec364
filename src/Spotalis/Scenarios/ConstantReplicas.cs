namespace Spotalis.Scenarios;

/// <summary>The same replica count for the whole run.</summary>
public sealed record ConstantReplicas(int Replicas) : ReplicaSchedule
{
    public override int At(TimeSpan offset) => Replicas;

    public override int Peak => Replicas;
}
