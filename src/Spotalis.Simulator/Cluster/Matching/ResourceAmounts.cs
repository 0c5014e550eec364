using k8s.Models;

namespace Spotalis.Simulator.Cluster.Matching;

/// <summary>CPU (millicores), memory (bytes) and a pod count: the resources the scheduler checks.</summary>
internal readonly record struct ResourceAmounts(long CpuMillis, long MemoryBytes, int Pods)
{
    public static ResourceAmounts Zero => default;

    public static ResourceAmounts operator +(ResourceAmounts left, ResourceAmounts right) =>
        new(left.CpuMillis + right.CpuMillis, left.MemoryBytes + right.MemoryBytes, left.Pods + right.Pods);

    public static ResourceAmounts operator -(ResourceAmounts left, ResourceAmounts right) =>
        new(left.CpuMillis - right.CpuMillis, left.MemoryBytes - right.MemoryBytes, left.Pods - right.Pods);

    public static ResourceAmounts Add(ResourceAmounts left, ResourceAmounts right) => left + right;

    public static ResourceAmounts Subtract(ResourceAmounts left, ResourceAmounts right) => left - right;

    /// <summary>
    /// The pod's effective request as the scheduler sees it: the sum over containers, or the largest init
    /// container when that is bigger, plus the pod overhead; one pod slot.
    /// </summary>
    public static ResourceAmounts ForPod(V1PodSpec? spec)
    {
        if (spec is null)
        {
            return new(0, 0, 1);
        }

        long cpu = 0, memory = 0;
        if (spec.Containers is not null)
        {
            foreach (var container in spec.Containers)
            {
                cpu += Read(container.Resources?.Requests, "cpu", millis: true);
                memory += Read(container.Resources?.Requests, "memory", millis: false);
            }
        }

        if (spec.InitContainers is not null)
        {
            foreach (var container in spec.InitContainers)
            {
                cpu = Math.Max(cpu, Read(container.Resources?.Requests, "cpu", millis: true));
                memory = Math.Max(memory, Read(container.Resources?.Requests, "memory", millis: false));
            }
        }

        cpu += Read(spec.Overhead, "cpu", millis: true);
        memory += Read(spec.Overhead, "memory", millis: false);
        return new(cpu, memory, 1);
    }

    /// <summary>A node's allocatable resources (cpu, memory, pods).</summary>
    public static ResourceAmounts Allocatable(V1Node node)
    {
        var allocatable = node.Status?.Allocatable ?? node.Status?.Capacity;
        var pods = Read(allocatable, "pods", millis: false);
        return new(Read(allocatable, "cpu", millis: true), Read(allocatable, "memory", millis: false), pods == 0 ? 110 : (int)pods);
    }

    public bool FitsWithin(ResourceAmounts free) => CpuMillis <= free.CpuMillis && MemoryBytes <= free.MemoryBytes && Pods <= free.Pods;

    private static long Read(IDictionary<string, ResourceQuantity>? quantities, string name, bool millis)
    {
        if (quantities is null || !quantities.TryGetValue(name, out var quantity) || quantity is null)
        {
            return 0;
        }

        try
        {
            var value = quantity.ToDecimal();
            return (long)Math.Ceiling(millis ? value * 1000m : value);
        }
        catch (FormatException)
        {
            return 0;
        }
        catch (OverflowException)
        {
            return long.MaxValue / 4;
        }
    }
}
