using System.Globalization;
using k8s.Models;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// What nodes of one provider look like: capacity-type and pool labels, spot taints, node names, provider IDs,
/// addresses, region and zones, and what the provider's tooling does to a node on a spot interruption notice.
/// </summary>
internal abstract class ProviderProfile
{
    public abstract ProviderPreset Preset { get; }

    public abstract string Region { get; }

    public abstract IReadOnlyList<string> DefaultZones { get; }

    public abstract string DefaultInstanceType { get; }

    /// <summary>The label whose value names the node's pool.</summary>
    public abstract string PoolLabelKey { get; }

    /// <summary>The taint put on a node when its spot interruption notice arrives.</summary>
    public abstract V1Taint InterruptionTaint { get; }

    /// <summary>Whether the interruption handler also cordons the node (spec.unschedulable).</summary>
    public virtual bool CordonOnInterruption => true;

    protected abstract string AddressPrefix { get; }

    public static ProviderProfile For(ProviderPreset preset) => preset switch
    {
        ProviderPreset.Karpenter => new KarpenterProfile(),
        ProviderPreset.Eks => new EksProfile(),
        ProviderPreset.Gke => new GkeProfile(),
        ProviderPreset.Aks => new AksProfile(),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "unknown provider preset"),
    };

    /// <summary>The provider's labels for a node of <paramref name="pool"/> (capacity type and pool).</summary>
    public abstract Dictionary<string, string> PoolLabels(NodePoolOptions pool);

    /// <summary>Taints the provider puts on every node of the pool (e.g. AKS spot pools).</summary>
    public virtual List<V1Taint> PoolTaints(NodePoolOptions pool) => [];

    /// <summary>The node's internal IP for node number <paramref name="sequence"/>.</summary>
    public string InternalIp(int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{AddressPrefix}.{(sequence / 250) % 250}.{(sequence % 250) + 4}");

    public abstract string NodeName(NodePoolOptions pool, int sequence, Random random);

    public abstract string ProviderId(string nodeName, string zone, Random random);

    protected static string RandomString(Random random, string alphabet, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private abstract class AwsProfile : ProviderProfile
    {
        public override string Region => "us-east-1";

        public override IReadOnlyList<string> DefaultZones { get; } = ["us-east-1a", "us-east-1b", "us-east-1c"];

        public override string DefaultInstanceType => "m5.xlarge";

        protected override string AddressPrefix => "10.0";

        public override string NodeName(NodePoolOptions pool, int sequence, Random random) =>
            "ip-" + InternalIp(sequence).Replace('.', '-') + ".ec2.internal";

        public override string ProviderId(string nodeName, string zone, Random random) =>
            $"aws:///{zone}/i-0{RandomString(random, "0123456789abcdef", 16)}";
    }

    private sealed class KarpenterProfile : AwsProfile
    {
        public override ProviderPreset Preset => ProviderPreset.Karpenter;

        public override string PoolLabelKey => "karpenter.sh/nodepool";

        public override V1Taint InterruptionTaint => new() { Key = "karpenter.sh/disrupted", Effect = "NoSchedule" };

        // Karpenter taints and drains; it does not set spec.unschedulable.
        public override bool CordonOnInterruption => false;

        public override Dictionary<string, string> PoolLabels(NodePoolOptions pool) => new(StringComparer.Ordinal)
        {
            ["karpenter.sh/capacity-type"] = pool.CapacityType == NodeCapacityType.Spot ? "spot" : "on-demand",
            [PoolLabelKey] = pool.Name,
            ["karpenter.sh/registered"] = "true",
            ["karpenter.sh/initialized"] = "true",
        };
    }

    private sealed class EksProfile : AwsProfile
    {
        public override ProviderPreset Preset => ProviderPreset.Eks;

        public override string PoolLabelKey => "eks.amazonaws.com/nodegroup";

        // The AWS Node Termination Handler cordons and taints the node on a spot interruption notice.
        public override V1Taint InterruptionTaint => new() { Key = "aws-node-termination-handler/spot-itn", Value = "spot-itn", Effect = "NoSchedule" };

        public override Dictionary<string, string> PoolLabels(NodePoolOptions pool) => new(StringComparer.Ordinal)
        {
            ["eks.amazonaws.com/capacityType"] = pool.CapacityType == NodeCapacityType.Spot ? "SPOT" : "ON_DEMAND",
            [PoolLabelKey] = pool.Name,
        };
    }

    private sealed class GkeProfile : ProviderProfile
    {
        public override ProviderPreset Preset => ProviderPreset.Gke;

        public override string Region => "us-central1";

        public override IReadOnlyList<string> DefaultZones { get; } = ["us-central1-a", "us-central1-b", "us-central1-c"];

        public override string DefaultInstanceType => "e2-standard-4";

        public override string PoolLabelKey => "cloud.google.com/gke-nodepool";

        public override V1Taint InterruptionTaint => new() { Key = "cloud.google.com/impending-node-termination", Effect = "NoSchedule" };

        protected override string AddressPrefix => "10.128";

        public override Dictionary<string, string> PoolLabels(NodePoolOptions pool)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [PoolLabelKey] = pool.Name,
                ["cloud.google.com/gke-provisioning"] = pool.CapacityType == NodeCapacityType.Spot ? "spot" : "standard",
            };
            if (pool.CapacityType == NodeCapacityType.Spot)
            {
                labels["cloud.google.com/gke-spot"] = "true";
            }

            return labels;
        }

        public override string NodeName(NodePoolOptions pool, int sequence, Random random) =>
            $"gke-sim-{pool.Name}-{RandomString(random, "0123456789abcdef", 8)}-{RandomString(random, "abcdefghijklmnopqrstuvwxyz0123456789", 4)}";

        public override string ProviderId(string nodeName, string zone, Random random) => $"gce://spotalis-sim/{zone}/{nodeName}";
    }

    private sealed class AksProfile : ProviderProfile
    {
        public override ProviderPreset Preset => ProviderPreset.Aks;

        public override string Region => "eastus";

        public override IReadOnlyList<string> DefaultZones { get; } = ["eastus-1", "eastus-2", "eastus-3"];

        public override string DefaultInstanceType => "Standard_D4s_v5";

        public override string PoolLabelKey => "kubernetes.azure.com/agentpool";

        // AKS has no interruption taint of its own; the node is cordoned (and so tainted unschedulable).
        public override V1Taint InterruptionTaint => new() { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" };

        protected override string AddressPrefix => "10.224";

        public override Dictionary<string, string> PoolLabels(NodePoolOptions pool)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [PoolLabelKey] = pool.Name,
                ["agentpool"] = pool.Name,
                ["kubernetes.azure.com/mode"] = "user",
            };
            if (pool.CapacityType == NodeCapacityType.Spot)
            {
                labels["kubernetes.azure.com/scalesetpriority"] = "spot";
            }

            return labels;
        }

        public override List<V1Taint> PoolTaints(NodePoolOptions pool) =>
            pool.CapacityType == NodeCapacityType.Spot
                ? [new V1Taint { Key = "kubernetes.azure.com/scalesetpriority", Value = "spot", Effect = "NoSchedule" }]
                : [];

        public override string NodeName(NodePoolOptions pool, int sequence, Random random) =>
            string.Create(CultureInfo.InvariantCulture, $"aks-{pool.Name}-{PoolNumber(pool.Name)}-vmss{sequence:x6}");

        public override string ProviderId(string nodeName, string zone, Random random) =>
            $"azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc_sim/providers/Microsoft.Compute/virtualMachineScaleSets/{nodeName}";

        private static string PoolNumber(string pool)
        {
            var hash = 17;
            foreach (var c in pool)
            {
                hash = unchecked((hash * 31) + c);
            }

            return (Math.Abs(hash % 90_000_000) + 10_000_000).ToString(CultureInfo.InvariantCulture);
        }
    }
}
