namespace Spotalis.Simulation;

/// <summary>What the run says about a criterion or a hypothesis.</summary>
public enum Verdict
{
    Validated,
    Invalidated,
    InsufficientData,
}
