namespace Spotalis.Scenarios;

/// <summary>A period (offsets from the start of the run) during which a pool has no capacity to give.</summary>
public sealed record OutageWindow(TimeSpan Start, TimeSpan Duration)
{
    public TimeSpan End => Start + Duration;

    public bool Contains(TimeSpan offset) => offset >= Start && offset < End;
}
