namespace Spotalis.Scenarios;

/// <summary>
/// A daily traffic curve: a cosine between <paramref name="Min"/> and <paramref name="Max"/> peaking at
/// <paramref name="PeakAt"/> (offset within each day), re-evaluated only every <paramref name="Resolution"/>
/// the way an autoscaler changes replicas in steps rather than continuously.
/// </summary>
public sealed record DailyCurveReplicas(int Min, int Max, TimeSpan PeakAt, TimeSpan Resolution) : ReplicaSchedule
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public override int At(TimeSpan offset)
    {
        var quantized = TimeSpan.FromTicks(offset.Ticks - (offset.Ticks % Resolution.Ticks));
        var phase = (quantized - PeakAt).TotalSeconds / Day.TotalSeconds * 2 * Math.PI;
        var load = (1 + Math.Cos(phase)) / 2;
        return Min + (int)Math.Round((Max - Min) * load, MidpointRounding.AwayFromZero);
    }

    public override int Peak => Max;
}
