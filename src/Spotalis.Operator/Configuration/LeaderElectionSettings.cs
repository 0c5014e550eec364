namespace Spotalis.Operator.Configuration;

/// <summary>Leader election with a coordination.k8s.io Lease.</summary>
public sealed record LeaderElectionSettings
{
    public bool Enabled { get; init; } = true;

    public string LeaseName { get; init; } = "spotalis-leader";

    public string LeaseNamespace { get; init; } = "spotalis-system";

    /// <summary>This replica's identity in the Lease; empty = the host name.</summary>
    public string Identity { get; init; } = "";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}
