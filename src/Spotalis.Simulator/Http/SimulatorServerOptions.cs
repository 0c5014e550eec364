using Spotalis.Simulator.Api;
using Spotalis.Simulator.Faults;

namespace Spotalis.Simulator.Http;

/// <summary>How <see cref="SimulatorServer"/> listens.</summary>
public sealed class SimulatorServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Serve HTTPS with a self-signed certificate (its CA goes into the kubeconfig).</summary>
    public bool UseTls { get; init; }

    /// <summary>When set, every request must carry <c>Authorization: Bearer {token}</c> (written into the kubeconfig).</summary>
    public string? BearerToken { get; init; }

    /// <summary>The API to serve; a new <see cref="ClusterApi"/> when null.</summary>
    public ClusterApi? Api { get; init; }

    /// <summary>Fault injection and request recording in front of the API (tests of clients under failure); null = none.</summary>
    public FaultInjector? Faults { get; init; }
}
