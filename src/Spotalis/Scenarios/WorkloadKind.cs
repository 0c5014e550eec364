namespace Spotalis.Scenarios;

/// <summary>The workload kinds Spotalis manages.</summary>
public enum WorkloadKind
{
    Deployment,
    StatefulSet,
}
