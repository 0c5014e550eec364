namespace Spotalis.Simulation;

/// <summary>
/// Sampled replica counts, one column per quantity, all aligned on <see cref="Seconds"/>.
/// Spot/OnDemand count scheduled pods by their node's capacity type; Ready counts Ready pods; Fallback counts
/// pods the webhook placed on on-demand because spot was unavailable.
/// </summary>
public sealed record WorkloadSeries(
    IReadOnlyList<int> Seconds,
    IReadOnlyList<int> Desired,
    IReadOnlyList<int> DesiredSpot,
    IReadOnlyList<int> Spot,
    IReadOnlyList<int> OnDemand,
    IReadOnlyList<int> Pending,
    IReadOnlyList<int> Ready,
    IReadOnlyList<int> Fallback);
