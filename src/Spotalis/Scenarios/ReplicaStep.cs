namespace Spotalis.Scenarios;

/// <summary>From <paramref name="At"/> on, the workload asks for <paramref name="Replicas"/>.</summary>
public sealed record ReplicaStep(TimeSpan At, int Replicas);
