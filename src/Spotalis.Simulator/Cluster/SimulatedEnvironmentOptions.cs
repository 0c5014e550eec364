using Spotalis.Simulator.Faults;

namespace Spotalis.Simulator.Cluster;

/// <summary>What <see cref="SimulatedEnvironment.StartAsync"/> starts: the cluster behaviour, the HTTP endpoint and the clock.</summary>
public sealed record SimulatedEnvironmentOptions
{
    /// <summary>Node pools, preset and timings of the simulated cluster.</summary>
    public ClusterOptions Cluster { get; init; } = new();

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Serve HTTPS with a self-signed CA (written into the kubeconfig).</summary>
    public bool UseTls { get; init; }

    /// <summary>Require this bearer token on every request (written into the kubeconfig).</summary>
    public string? BearerToken { get; init; }

    /// <summary>Where to write the kubeconfig; null writes a temporary file that is deleted on dispose.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>The cluster clock; real time unless a simulation accelerates it.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Run the controllers in the background; false leaves stepping to the caller (<see cref="SimulatedCluster.Step"/>).</summary>
    public bool RunControllers { get; init; } = true;

    /// <summary>Fault injection and request recording on the HTTP endpoint; null = none.</summary>
    public FaultInjector? Faults { get; init; }
}
