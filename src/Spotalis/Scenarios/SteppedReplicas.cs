namespace Spotalis.Scenarios;

/// <summary>Replica counts that change at given offsets; the first step starts at 0.</summary>
public sealed record SteppedReplicas(IReadOnlyList<ReplicaStep> Steps) : ReplicaSchedule
{
    public override int At(TimeSpan offset)
    {
        var replicas = Steps[0].Replicas;
        foreach (var step in Steps)
        {
            if (step.At > offset)
            {
                break;
            }

            replicas = step.Replicas;
        }

        return replicas;
    }

    public override int Peak => Steps.Max(s => s.Replicas);
}
