namespace Spotalis.Scenarios;

/// <summary>A what-if experiment: a cluster, workloads with their policies, and a hypothesis to check.</summary>
/// <param name="Step">Cluster time advanced per simulation step.</param>
/// <param name="Seed">Seed used when the command line gives none.</param>
public sealed record Scenario(
    string Name,
    string Description,
    TimeSpan Duration,
    TimeSpan Step,
    int Seed,
    IReadOnlyList<NodePoolSpec> NodePools,
    IReadOnlyList<WorkloadSpec> Workloads,
    OperatorSettings Operator,
    Hypothesis? Hypothesis);
