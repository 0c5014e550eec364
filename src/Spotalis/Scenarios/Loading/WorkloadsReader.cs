using Spotalis.Core.Capacity;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Scenarios.Loading;

/// <summary>Reads the scenario's <c>workloads</c>: namespace/name (unique), kind, replica schedule, labels and annotations (Spotalis enabled unless said otherwise).</summary>
internal static class WorkloadsReader
{
    private static readonly string[] WorkloadKeys = ["name", "namespace", "kind", "replicas", "labels", "annotations"];

    public static List<WorkloadSpec> Read(YamlFields fields, YamlMappingNode root, TimeSpan duration)
    {
        var workloads = new List<WorkloadSpec>();
        var items = fields.RequiredSequence(root, "workloads", string.Empty);
        if (items is null)
        {
            return workloads;
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, map) in fields.Entries(items, "workloads", WorkloadKeys, "with keys " + string.Join(", ", WorkloadKeys)))
        {
            var name = fields.RequiredText(map, "name", path);
            var ns = fields.OptionalText(map, "namespace", path) ?? "default";
            if (name is not null && !ScenarioNames.DnsLabel().IsMatch(name))
            {
                fields.Problem(path + ".name", YamlFields.Child(map, "name"), $"'{name}' must be lower-case letters, digits and '-'");
            }

            if (!ScenarioNames.DnsLabel().IsMatch(ns))
            {
                fields.Problem(path + ".namespace", YamlFields.Child(map, "namespace"), $"'{ns}' must be lower-case letters, digits and '-'");
            }

            if (name is not null && !keys.Add($"{ns}/{name}"))
            {
                fields.Problem(path + ".name", YamlFields.Child(map, "name"), $"'{ns}/{name}' is declared twice");
            }

            var kindText = fields.OptionalText(map, "kind", path) ?? "Deployment";
            WorkloadKind? kind = kindText switch
            {
                "Deployment" => WorkloadKind.Deployment,
                "StatefulSet" => WorkloadKind.StatefulSet,
                _ => null,
            };
            if (kind is null)
            {
                fields.Problem(path + ".kind", YamlFields.Child(map, "kind"), $"'{kindText}' must be Deployment or StatefulSet");
            }

            var replicas = ReplicaScheduleReader.Read(fields, map, path, duration);
            var labels = fields.ReadStringMap(map, "labels", path);
            var annotations = fields.ReadStringMap(map, "annotations", path);
            if (!labels.ContainsKey(SpotalisKeys.Enabled))
            {
                labels[SpotalisKeys.Enabled] = "true";
            }

            if (name is not null && kind is not null && replicas is not null)
            {
                workloads.Add(new WorkloadSpec(ns, name, kind.Value, replicas, labels, annotations));
            }
        }

        return workloads;
    }
}
