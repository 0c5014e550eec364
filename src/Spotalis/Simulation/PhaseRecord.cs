namespace Spotalis.Simulation;

/// <summary>One phase with its start, end and deadline in cluster seconds; <see cref="Met"/> tells whether it ended in time.</summary>
public sealed record PhaseRecord(SimulationPhase Phase, int StartedAtSeconds, int? EndedAtSeconds, int? DeadlineSeconds, bool Met);
