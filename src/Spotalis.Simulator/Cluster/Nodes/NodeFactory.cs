using System.Globalization;
using k8s.Models;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>Builds Node objects for a pool: the labels, taints, capacity, addresses and conditions of a Ready node.</summary>
internal static class NodeFactory
{
    public const string KubeletVersion = "v1.32.0";

    /// <summary>A Ready node of <paramref name="pool"/> in <paramref name="zone"/>; <paramref name="sequence"/> numbers addresses and pod CIDRs.</summary>
    public static V1Node Build(ProviderProfile profile, NodePoolOptions pool, string name, string zone, int sequence, string providerId, DateTime now)
    {
        var instanceType = pool.InstanceType ?? profile.DefaultInstanceType;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = "amd64",
            ["node.kubernetes.io/instance-type"] = instanceType,
            ["beta.kubernetes.io/instance-type"] = instanceType,
            ["topology.kubernetes.io/zone"] = zone,
            ["topology.kubernetes.io/region"] = profile.Region,
        };
        foreach (var (key, value) in profile.PoolLabels(pool))
        {
            labels[key] = value;
        }

        if (pool.Labels is not null)
        {
            foreach (var (key, value) in pool.Labels)
            {
                labels[key] = value;
            }
        }

        var taints = profile.PoolTaints(pool);
        if (pool.Taints is not null)
        {
            taints.AddRange(pool.Taints.Select(ParseTaint));
        }

        var resources = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new ResourceQuantity(pool.Cpu),
            ["memory"] = new ResourceQuantity(pool.Memory),
            ["pods"] = new ResourceQuantity(pool.MaxPods.ToString(CultureInfo.InvariantCulture)),
            ["ephemeral-storage"] = new ResourceQuantity("100Gi"),
        };
        var ip = profile.InternalIp(sequence);
        var cidr = string.Create(CultureInfo.InvariantCulture, $"10.244.{sequence % 256}.0/24");
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = labels,
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                },
            },
            Spec = new V1NodeSpec
            {
                ProviderID = providerId,
                PodCIDR = cidr,
                PodCIDRs = [cidr],
                Taints = taints.Count == 0 ? null : taints,
            },
            Status = new V1NodeStatus
            {
                Capacity = resources,
                Allocatable = new Dictionary<string, ResourceQuantity>(resources, StringComparer.Ordinal),
                Addresses =
                [
                    new V1NodeAddress { Type = "InternalIP", Address = ip },
                    new V1NodeAddress { Type = "Hostname", Address = name },
                ],
                Conditions =
                [
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
                    Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
                ],
                DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10250 } },
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = "amd64",
                    OperatingSystem = "linux",
                    OsImage = "Ubuntu 22.04.4 LTS",
                    KernelVersion = "6.5.0-1018",
                    ContainerRuntimeVersion = "containerd://1.7.22",
                    KubeletVersion = KubeletVersion,
                    KubeProxyVersion = KubeletVersion,
                    MachineID = sequence.ToString("x32", CultureInfo.InvariantCulture),
                    SystemUUID = string.Create(CultureInfo.InvariantCulture, $"ec2{sequence:x5}-0000-4000-8000-{sequence:x12}"),
                    BootID = sequence.ToString("x8", CultureInfo.InvariantCulture),
                },
                Phase = null,
            },
        };
    }

    /// <summary>Parses <c>key=value:Effect</c> or <c>key:Effect</c>.</summary>
    public static V1Taint ParseTaint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new ArgumentException($"taint \"{text}\" must look like key=value:Effect or key:Effect", nameof(text));
        }

        var effect = text[(colon + 1)..];
        if (effect is not ("NoSchedule" or "PreferNoSchedule" or "NoExecute"))
        {
            throw new ArgumentException($"taint \"{text}\" has effect \"{effect}\"; allowed: NoSchedule, PreferNoSchedule, NoExecute", nameof(text));
        }

        var keyValue = text[..colon];
        var equals = keyValue.IndexOf('=', StringComparison.Ordinal);
        return equals < 0
            ? new V1Taint { Key = keyValue, Effect = effect }
            : new V1Taint { Key = keyValue[..equals], Value = keyValue[(equals + 1)..], Effect = effect };
    }

    private static V1NodeCondition Condition(string type, string status, string reason, string message, DateTime now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastHeartbeatTime = now,
        LastTransitionTime = now,
    };
}
