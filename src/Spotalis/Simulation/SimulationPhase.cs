namespace Spotalis.Simulation;

/// <summary>The life of a what-if run: Pending -> Provisioning -> Running -> Complete or Failed.</summary>
public enum SimulationPhase
{
    /// <summary>The scenario is loaded and the cluster is being built.</summary>
    Pending,

    /// <summary>Initial nodes join and the workloads' first replicas are placed.</summary>
    Provisioning,

    /// <summary>The scenario's duration runs: traffic, interruptions, outages, the operator at work.</summary>
    Running,

    /// <summary>The run reached the end of its duration.</summary>
    Complete,

    /// <summary>A deadline passed or something broke; the summary says what.</summary>
    Failed,
}
