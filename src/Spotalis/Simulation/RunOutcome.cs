namespace Spotalis.Simulation;

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    Complete,
    Failed,
}
