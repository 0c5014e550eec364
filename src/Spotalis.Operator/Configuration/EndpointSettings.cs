namespace Spotalis.Operator.Configuration;

/// <summary>A listen address such as <c>0.0.0.0:8080</c> (port 0 = any free port).</summary>
public sealed record EndpointSettings(string Address)
{
    /// <summary>Folder with <c>tls.crt</c>/<c>tls.key</c> to serve HTTPS from (reloaded when they change); empty = plain HTTP.</summary>
    public string CertDir { get; init; } = "";

    /// <summary>
    /// Metrics endpoint only: how many managed workloads get their own <c>spotalis_workload_*</c> series; workloads
    /// beyond it are counted in <c>spotalis_workloads</c> only (0 = no per-workload series).
    /// </summary>
    public int PerWorkloadSeriesLimit { get; init; } = DefaultPerWorkloadSeriesLimit;

    /// <summary>Default of <see cref="PerWorkloadSeriesLimit"/>: 1,000 workloads, 6,000 series.</summary>
    public const int DefaultPerWorkloadSeriesLimit = 1000;
}
