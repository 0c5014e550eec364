using k8s.Models;
using Spotalis.Simulator.Cluster.Nodes;

namespace Spotalis.Simulator.Cluster;

/// <summary>Rejects cluster options that cannot describe a cluster, with a message naming the field.</summary>
internal static class ClusterOptionsValidator
{
    public static void Validate(ClusterOptions options)
    {
        Require(options.PodStartDelay >= TimeSpan.Zero, "PodStartDelay must not be negative");
        Require(options.PodReadyDelay >= TimeSpan.Zero, "PodReadyDelay must not be negative");
        Require(options.ContainerStopDuration is null || options.ContainerStopDuration >= TimeSpan.Zero, "ContainerStopDuration must not be negative");
        Require(options.ProvisioningDelay >= TimeSpan.Zero, "ProvisioningDelay must not be negative");
        Require(options.InterruptionNotice >= TimeSpan.Zero, "InterruptionNotice must not be negative");
        Require(options.EmptyNodeTtl is null || options.EmptyNodeTtl >= TimeSpan.Zero, "EmptyNodeTtl must not be negative");
        Require(options.TickInterval > TimeSpan.Zero, "TickInterval must be positive");
        Require(options.Pools is not null, "Pools must not be null");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in options.Pools!)
        {
            Require(!string.IsNullOrWhiteSpace(pool.Name), "every pool needs a Name");
            Require(names.Add(pool.Name), $"pool name \"{pool.Name}\" is used twice");
            Require(pool.InitialNodes >= 0, $"pool \"{pool.Name}\": InitialNodes must not be negative");
            Require(pool.MinNodes >= 0, $"pool \"{pool.Name}\": MinNodes must not be negative");
            Require(pool.MaxNodes >= pool.InitialNodes, $"pool \"{pool.Name}\": MaxNodes ({pool.MaxNodes}) is below InitialNodes ({pool.InitialNodes})");
            Require(pool.HourlyPrice >= 0, $"pool \"{pool.Name}\": HourlyPrice must not be negative");
            Require(pool.MaxPods > 0, $"pool \"{pool.Name}\": MaxPods must be positive");
            Require(pool.InterruptionsPerNodeHour >= 0 && double.IsFinite(pool.InterruptionsPerNodeHour), $"pool \"{pool.Name}\": InterruptionsPerNodeHour must be a finite rate >= 0");
            Require(pool.CapacityType == NodeCapacityType.Spot || pool.InterruptionsPerNodeHour == 0, $"pool \"{pool.Name}\": only spot pools are interrupted");
            RequireQuantity(pool.Name, "Cpu", pool.Cpu);
            RequireQuantity(pool.Name, "Memory", pool.Memory);
            foreach (var taint in pool.Taints ?? [])
            {
                try
                {
                    NodeFactory.ParseTaint(taint);
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"pool \"{pool.Name}\": {ex.Message}", nameof(options), ex);
                }
            }
        }
    }

    private static void RequireQuantity(string pool, string field, string value)
    {
        try
        {
            Require(new ResourceQuantity(value).ToDecimal() > 0, $"pool \"{pool}\": {field} must be positive");
        }
        catch (FormatException)
        {
            throw new ArgumentException($"pool \"{pool}\": {field} \"{value}\" is not a Kubernetes quantity (e.g. 4, 3500m, 16Gi)");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
