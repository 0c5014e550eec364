using Spotalis.Core.Capacity;
using Spotalis.Core.Timing;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Scenarios.Loading;

/// <summary>Reads the scenario's <c>nodePools</c>: names, preset (matching the operator's classifier), capacity type, price, sizes, interruption rate, provisioning delay and outage windows.</summary>
internal static class NodePoolsReader
{
    private static readonly string[] PoolKeys = ["name", "preset", "capacityType", "hourlyPrice", "initialSize", "maxSize", "podsPerNode", "interruptionRatePerHour", "provisioningDelay", "outages"];
    private static readonly string[] OutageKeys = ["start", "duration"];
    private static readonly string[] Presets = ["karpenter", "eks", "gke", "aks"];

    public static List<NodePoolSpec> Read(YamlFields fields, YamlMappingNode root, TimeSpan duration, OperatorSettings settings)
    {
        var pools = new List<NodePoolSpec>();
        var items = fields.RequiredSequence(root, "nodePools", string.Empty);
        if (items is null)
        {
            return pools;
        }

        var classifierPreset = settings.GetText("nodeClassifier.preset", "karpenter");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var capacities = new List<CapacityType?>();
        foreach (var (path, map) in fields.Entries(items, "nodePools", PoolKeys, "with keys " + string.Join(", ", PoolKeys)))
        {
            var name = fields.RequiredText(map, "name", path);
            if (name is not null)
            {
                if (!ScenarioNames.DnsLabel().IsMatch(name))
                {
                    fields.Problem(path + ".name", YamlFields.Child(map, "name"), $"'{name}' must be lower-case letters, digits and '-' (it prefixes node names)");
                }
                else if (!names.Add(name))
                {
                    fields.Problem(path + ".name", YamlFields.Child(map, "name"), $"'{name}' is used by another node pool");
                }
            }

            var preset = fields.OptionalText(map, "preset", path) ?? "karpenter";
            if (!Presets.Contains(preset))
            {
                fields.Problem(path + ".preset", YamlFields.Child(map, "preset"), $"'{preset}' is not a provider preset (allowed: {string.Join(", ", Presets)})");
            }
            else if (preset != classifierPreset)
            {
                fields.Problem(path + ".preset", YamlFields.Child(map, "preset") ?? map, $"'{preset}' differs from the operator's nodeClassifier.preset '{classifierPreset}', so the operator could not classify these nodes");
            }

            var capacityText = fields.RequiredText(map, "capacityType", path);
            CapacityType? capacity = capacityText switch
            {
                "spot" => CapacityType.Spot,
                "on-demand" => CapacityType.OnDemand,
                _ => null,
            };
            if (capacityText is not null && capacity is null)
            {
                fields.Problem(path + ".capacityType", YamlFields.Child(map, "capacityType"), $"'{capacityText}' must be spot or on-demand");
            }

            capacities.Add(capacity);
            var price = fields.RequiredNumber(map, "hourlyPrice", path, 0, 1000);
            var initial = fields.OptionalInt(map, "initialSize", path, 0, 1000) ?? 0;
            var max = fields.OptionalInt(map, "maxSize", path, 0, 1000) ?? Math.Max(initial, 10);
            if (max < initial)
            {
                fields.Problem(path + ".maxSize", YamlFields.Child(map, "maxSize"), $"{max} is smaller than initialSize {initial}");
            }

            if (max == 0)
            {
                fields.Problem(path + ".maxSize", YamlFields.Child(map, "maxSize"), "must be at least 1 (a pool that can never hold a node has no place in the scenario)");
            }

            var podsPerNode = fields.OptionalInt(map, "podsPerNode", path, 1, 250) ?? 20;
            var rate = fields.OptionalNumber(map, "interruptionRatePerHour", path, 0, 60) ?? 0;
            if (capacity == CapacityType.OnDemand && rate > 0)
            {
                fields.Problem(path + ".interruptionRatePerHour", YamlFields.Child(map, "interruptionRatePerHour"), "only spot pools are interrupted; set it to 0 or make the pool spot");
            }

            var delay = fields.OptionalDuration(map, "provisioningDelay", path) ?? TimeSpan.FromSeconds(60);
            if (delay < TimeSpan.Zero || delay > TimeSpan.FromHours(1))
            {
                fields.Problem(path + ".provisioningDelay", YamlFields.Child(map, "provisioningDelay"), "must be between 0s and 1h");
            }

            var outages = ReadOutages(fields, map, path, duration);
            if (name is not null && capacity is not null && price is not null)
            {
                pools.Add(new NodePoolSpec(name, preset, capacity.Value, (decimal)price.Value, initial, max, podsPerNode, rate, delay, outages));
            }
        }

        if (items.Children.Count > 0 && capacities.Count == items.Children.Count && capacities.All(c => c == CapacityType.Spot))
        {
            fields.Problem("nodePools", items, "needs at least one on-demand pool: the on-demand floor and fallback have nowhere else to run");
        }

        return pools;
    }

    private static List<OutageWindow> ReadOutages(YamlFields fields, YamlMappingNode pool, string poolPath, TimeSpan duration)
    {
        var outages = new List<OutageWindow>();
        var node = YamlFields.Child(pool, "outages");
        if (node is null)
        {
            return outages;
        }

        if (node is not YamlSequenceNode items)
        {
            fields.Problem(poolPath + ".outages", node, "must be a list of {start, duration}");
            return outages;
        }

        foreach (var (path, map) in fields.Entries(items, $"{poolPath}.outages", OutageKeys, "{start, duration}"))
        {
            var start = fields.RequiredDuration(map, "start", path);
            var length = fields.RequiredDuration(map, "duration", path);
            if (start is { } s && duration > TimeSpan.Zero && s >= duration)
            {
                fields.Problem(path + ".start", YamlFields.Child(map, "start"), $"{GoDuration.Format(s)} is not before the end of the run ({GoDuration.Format(duration)})");
            }

            if (length is { } l && l <= TimeSpan.Zero)
            {
                fields.Problem(path + ".duration", YamlFields.Child(map, "duration"), "must be more than 0s");
            }

            if (start is not null && length is not null)
            {
                outages.Add(new OutageWindow(start.Value, length.Value));
            }
        }

        return outages;
    }
}
