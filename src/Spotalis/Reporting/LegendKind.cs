namespace Spotalis.Reporting;

/// <summary>How a legend entry's sample is drawn.</summary>
public enum LegendKind
{
    Line,
    Area,
    Tick,
    Marker,
}
