namespace Spotalis.Operator.Cache;

/// <summary>Identifies a managed workload. <see cref="Kind"/> is "Deployment" or "StatefulSet".</summary>
public sealed record WorkloadRef(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind}/{Namespace}/{Name}";
}
