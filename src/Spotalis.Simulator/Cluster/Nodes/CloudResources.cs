using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// The custom resources through which the simulated cloud is seen and driven from outside (kubectl, <c>spotalis sim</c>):
/// <c>SimulatedPool</c> (<c>sim.spotalis.io/v1</c>, one per pool: outage and node limit in <c>spec</c>, what the pool is
/// doing in <c>status</c>) for every preset, and Karpenter's <c>NodePool</c> and <c>NodeClaim</c> (<c>karpenter.sh/v1</c>) for the
/// Karpenter preset, installed as CustomResourceDefinitions like a real Karpenter install does.
/// </summary>
internal static class CloudResources
{
    public const string SimGroup = "sim.spotalis.io";
    public const string SimulatedPoolKind = "SimulatedPool";
    public const string SimulatedPoolPlural = "simulatedpools";
    public const string KarpenterGroup = "karpenter.sh";
    public const string NodePoolKind = "NodePool";
    public const string NodePoolPlural = "nodepools";
    public const string NodeClaimKind = "NodeClaim";
    public const string CapacityTypeLabel = "karpenter.sh/capacity-type";

    /// <summary>Annotation on a Node that starts a spot interruption notice on it (any value).</summary>
    public const string InterruptAnnotation = "sim.spotalis.io/interrupt";

    /// <summary>Annotation the simulator writes back on the Node: when the notice ends, or why it was refused.</summary>
    public const string InterruptionResultAnnotation = "sim.spotalis.io/interruption";

    public static V1CustomResourceDefinition SimulatedPoolDefinition() =>
        Definition(SimGroup, SimulatedPoolKind, SimulatedPoolPlural, ["spool"], ["simulated"]);

    public static V1CustomResourceDefinition NodePoolDefinition() =>
        Definition(KarpenterGroup, NodePoolKind, NodePoolPlural, [], ["karpenter"]);

    public static V1CustomResourceDefinition NodeClaimDefinition() =>
        Definition(KarpenterGroup, NodeClaimKind, "nodeclaims", [], ["karpenter"]);

    /// <summary>The SimulatedPool a pool starts with: its capacity type, limit and no outage.</summary>
    public static CustomObject SimulatedPool(NodePoolOptions pool) => new()
    {
        ApiVersion = $"{SimGroup}/v1",
        Kind = SimulatedPoolKind,
        Metadata = new V1ObjectMeta { Name = pool.Name },
        Spec = new JsonObject
        {
            ["capacityType"] = CapacityTypeName(pool.CapacityType),
            ["maxNodes"] = pool.MaxNodes,
            ["outage"] = false,
        },
    };

    /// <summary>The Karpenter NodePool that a pool of the Karpenter preset stands for: its capacity type, nothing else required.</summary>
    public static CustomObject NodePool(NodePoolOptions pool) => new()
    {
        ApiVersion = $"{KarpenterGroup}/v1",
        Kind = NodePoolKind,
        Metadata = new V1ObjectMeta { Name = pool.Name },
        Spec = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["requirements"] = new JsonArray(new JsonObject
                    {
                        ["key"] = CapacityTypeLabel,
                        ["operator"] = "In",
                        ["values"] = new JsonArray(CapacityTypeName(pool.CapacityType)),
                    }),
                    ["nodeClassRef"] = new JsonObject { ["group"] = "karpenter.k8s.aws", ["kind"] = "EC2NodeClass", ["name"] = "default" },
                },
            },
            ["disruption"] = new JsonObject { ["consolidationPolicy"] = "WhenEmptyOrUnderutilized", ["consolidateAfter"] = "1m" },
        },
    };

    public static string CapacityTypeName(NodeCapacityType type) => type == NodeCapacityType.Spot ? "spot" : "on-demand";

    /// <summary>
    /// The capacity types a NodePool's <c>spec.template.spec.requirements</c> allow (In, NotIn, Exists, DoesNotExist on
    /// <c>karpenter.sh/capacity-type</c>; Karpenter's default without a requirement is on-demand only).
    /// </summary>
    public static IReadOnlySet<NodeCapacityType> AllowedCapacityTypes(CustomObject nodePool)
    {
        var allowed = new HashSet<NodeCapacityType> { NodeCapacityType.Spot, NodeCapacityType.OnDemand };
        var constrained = false;
        foreach (var requirement in nodePool.Spec?["template"]?["spec"]?["requirements"] as JsonArray ?? [])
        {
            if (requirement?["key"]?.GetValue<string>() != CapacityTypeLabel)
            {
                continue;
            }

            constrained = true;
            var values = (requirement["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>()).ToHashSet();
            switch (requirement["operator"]?.GetValue<string>())
            {
                case "In":
                    allowed.RemoveWhere(t => !values.Contains(CapacityTypeName(t)));
                    break;
                case "NotIn":
                    allowed.RemoveWhere(t => values.Contains(CapacityTypeName(t)));
                    break;
                case "DoesNotExist":
                    allowed.Clear();
                    break;
            }
        }

        return constrained ? allowed : new HashSet<NodeCapacityType> { NodeCapacityType.OnDemand };
    }

    /// <summary>The most nodes of <paramref name="pool"/> that fit in the NodePool's <c>spec.limits</c> (cpu, memory, nodes); null without limits.</summary>
    public static int? NodeLimit(CustomObject nodePool, NodePoolOptions pool)
    {
        if (nodePool.Spec?["limits"] is not JsonObject limits)
        {
            return null;
        }

        int? result = null;
        foreach (var (name, value) in limits)
        {
            var text = value?.ToString();
            if (text is null)
            {
                continue;
            }

            double total;
            double perNode;
            try
            {
                total = (double)new ResourceQuantity(text).ToDecimal();
                perNode = name switch
                {
                    "cpu" => (double)new ResourceQuantity(pool.Cpu).ToDecimal(),
                    "memory" => (double)new ResourceQuantity(pool.Memory).ToDecimal(),
                    "nodes" => 1,
                    _ => 0,
                };
            }
            catch (FormatException)
            {
                continue;
            }

            if (perNode > 0)
            {
                var nodes = (int)Math.Floor(total / perNode);
                result = result is { } r ? Math.Min(r, nodes) : nodes;
            }
        }

        return result;
    }

    public static int? Int(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var number) ? number
        : node is JsonValue text && text.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;

    public static bool? Bool(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag
        : node is JsonValue text && text.TryGetValue<string>(out var s) && bool.TryParse(s, out var parsed) ? parsed
        : null;

    private static V1CustomResourceDefinition Definition(string group, string kind, string plural, List<string> shortNames, List<string> categories) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{plural}.{group}" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = group,
            Scope = "Cluster",
            Names = new V1CustomResourceDefinitionNames
            {
                Kind = kind,
                ListKind = kind + "List",
                Plural = plural,
                Singular = kind.ToLowerInvariant(),
                ShortNames = shortNames.Count == 0 ? null : shortNames,
                Categories = categories,
            },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1",
                    Served = true,
                    Storage = true,
                    Subresources = new V1CustomResourceSubresources { Status = new object() },
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                    },
                },
            ],
        },
    };
}
