namespace Spotalis.Simulation;

/// <summary>A workload of the run with the policy the operator reads from its annotations.</summary>
public sealed record WorkloadDescriptor(string Namespace, string Name, string Kind, int SpotPercentage, int MinOnDemand, bool PolicyValid)
{
    public string Key => $"{Namespace}/{Name}";
}
