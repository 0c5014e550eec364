using k8s.Models;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>A node decided for pending pods that appears when its provisioning delay is over.</summary>
internal sealed record PendingLaunch(int Id, PoolRuntime Pool, string Zone, DateTime DueAt, V1Node Template);
