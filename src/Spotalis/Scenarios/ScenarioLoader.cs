using System.Globalization;
using System.Text.RegularExpressions;
using Spotalis.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Cli.Scenarios;

/// <summary>
/// Reads a scenario YAML file and validates all of it before anything runs: every problem is reported with its
/// YAML path and line, so one edit-run cycle fixes them all.
/// </summary>
public static partial class ScenarioLoader
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(31);
    public const int MaxReplicas = 1000;

    private static readonly string[] TopLevelKeys = ["name", "description", "duration", "step", "seed", "nodePools", "workloads", "operator", "hypothesis"];
    private static readonly string[] PoolKeys = ["name", "preset", "capacityType", "hourlyPrice", "initialSize", "maxSize", "podsPerNode", "interruptionRatePerHour", "provisioningDelay", "outages"];
    private static readonly string[] OutageKeys = ["start", "duration"];
    private static readonly string[] WorkloadKeys = ["name", "namespace", "kind", "replicas", "labels", "annotations"];
    private static readonly string[] ReplicaKeys = ["steps", "daily"];
    private static readonly string[] StepKeys = ["at", "replicas"];
    private static readonly string[] DailyKeys = ["min", "max", "peakAt", "resolution"];
    private static readonly string[] HypothesisKeys = ["statement", "criteria"];
    private static readonly string[] CriterionKeys = ["metric", "op", "value", "workload"];
    private static readonly string[] Presets = ["karpenter", "eks", "gke", "aks"];

    /// <summary>Loads and validates a scenario file; throws <see cref="ScenarioException"/> naming every problem.</summary>
    public static Scenario LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException(path, [new ScenarioProblem("(file)", 0, $"cannot read the scenario file: {e.Message}")]);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates scenario YAML; <paramref name="source"/> names it in messages.</summary>
    public static Scenario Parse(string yaml, string source)
    {
        var reader = new Reader();
        var scenario = reader.Read(yaml);
        if (reader.Problems.Count > 0 || scenario is null)
        {
            throw new ScenarioException(source, reader.Problems);
        }

        return scenario;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    private sealed class Reader
    {
        public List<ScenarioProblem> Problems { get; } = [];

        public Scenario? Read(string yaml)
        {
            YamlNode root;
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(yaml));
                if (stream.Documents.Count == 0)
                {
                    Problem("(document)", null, "the file is empty; a scenario needs at least name, duration, nodePools and workloads");
                    return null;
                }

                root = stream.Documents[0].RootNode;
            }
            catch (YamlException e)
            {
                Problems.Add(new ScenarioProblem("(syntax)", (int)e.Start.Line, $"not valid YAML: {e.InnerException?.Message ?? e.Message}"));
                return null;
            }

            if (root is not YamlMappingNode map)
            {
                Problem("(document)", root, "the scenario must be a mapping with keys " + string.Join(", ", TopLevelKeys));
                return null;
            }

            CheckKeys(map, string.Empty, TopLevelKeys);
            var name = RequiredText(map, "name", string.Empty);
            if (name is not null && !DnsLabel().IsMatch(name))
            {
                Problem("name", Child(map, "name"), $"'{name}' must be lower-case letters, digits and '-' (it names output files)");
            }

            var description = OptionalText(map, "description", string.Empty) ?? string.Empty;
            var duration = RequiredDuration(map, "duration", string.Empty);
            if (duration is { } d && (d <= TimeSpan.Zero || d > MaxDuration))
            {
                Problem("duration", Child(map, "duration"), $"must be more than 0s and at most {GoDuration.Format(MaxDuration)}");
            }

            var step = OptionalDuration(map, "step", string.Empty) ?? TimeSpan.FromSeconds(10);
            if (step < TimeSpan.FromSeconds(1) || step > TimeSpan.FromMinutes(5))
            {
                Problem("step", Child(map, "step"), "must be between 1s and 5m (smaller is more faithful, larger is faster)");
            }
            else if (duration is { } total && total > TimeSpan.Zero && step > total)
            {
                Problem("step", Child(map, "step"), "must not be longer than duration");
            }

            var seed = OptionalInt(map, "seed", string.Empty, 0, int.MaxValue) ?? 1;
            var runLength = duration ?? TimeSpan.Zero;
            var operatorSettings = ReadOperator(map);
            var pools = ReadPools(map, runLength, operatorSettings);
            var workloads = ReadWorkloads(map, runLength);
            var hypothesis = ReadHypothesis(map, workloads);

            if (name is null || duration is null)
            {
                return null;
            }

            return new Scenario(name, description, duration.Value, step, seed, pools, workloads, operatorSettings, hypothesis);
        }

        private OperatorSettings ReadOperator(YamlMappingNode root)
        {
            var node = Child(root, "operator");
            if (node is null)
            {
                return OperatorSettings.Defaults;
            }

            if (node is not YamlMappingNode map)
            {
                Problem("operator", node, "must be a mapping of operator configuration keys (e.g. controllers: {fallbackAfter: 2m})");
                return OperatorSettings.Defaults;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            Flatten(map, string.Empty, values);
            return new OperatorSettings(values);
        }

        private void Flatten(YamlMappingNode map, string prefix, Dictionary<string, string> values)
        {
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = prefix + ((keyNode as YamlScalarNode)?.Value ?? string.Empty);
                var path = "operator." + key;
                if (valueNode is YamlMappingNode nested)
                {
                    Flatten(nested, key + ".", values);
                    continue;
                }

                if (!OperatorSettings.Known.TryGetValue(key, out var kind))
                {
                    Problem(path, keyNode, $"unknown operator setting '{key}' for a simulation (allowed: {string.Join(", ", OperatorSettings.Known.Keys)})");
                    continue;
                }

                if (valueNode is not YamlScalarNode { Value: { } text })
                {
                    Problem(path, valueNode, "must be a single value");
                    continue;
                }

                var valid = kind switch
                {
                    SettingKind.Boolean => bool.TryParse(text, out _),
                    SettingKind.Integer => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0,
                    SettingKind.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0,
                    SettingKind.Duration => GoDuration.TryParse(text, out var span) && span >= TimeSpan.Zero,
                    _ => true,
                };
                if (!valid)
                {
                    var expected = kind switch
                    {
                        SettingKind.Boolean => "true or false",
                        SettingKind.Integer => "a whole number >= 0",
                        SettingKind.Number => "a number > 0",
                        SettingKind.Duration => "a Go-style duration such as 90s, 5m or 1h30m",
                        _ => "text",
                    };
                    Problem(path, valueNode, $"'{text}' is not {expected}");
                    continue;
                }

                values[key] = text;
            }
        }

        private List<NodePoolSpec> ReadPools(YamlMappingNode root, TimeSpan duration, OperatorSettings settings)
        {
            var pools = new List<NodePoolSpec>();
            var items = RequiredSequence(root, "nodePools", string.Empty);
            if (items is null)
            {
                return pools;
            }

            var classifierPreset = settings.GetText("nodeClassifier.preset", "karpenter");
            var names = new HashSet<string>(StringComparer.Ordinal);
            var capacities = new List<CapacityType?>();
            for (var i = 0; i < items.Children.Count; i++)
            {
                var path = $"nodePools[{i}]";
                if (items.Children[i] is not YamlMappingNode map)
                {
                    Problem(path, items.Children[i], "must be a mapping with keys " + string.Join(", ", PoolKeys));
                    continue;
                }

                CheckKeys(map, path, PoolKeys);
                var name = RequiredText(map, "name", path);
                if (name is not null)
                {
                    if (!DnsLabel().IsMatch(name))
                    {
                        Problem(path + ".name", Child(map, "name"), $"'{name}' must be lower-case letters, digits and '-' (it prefixes node names)");
                    }
                    else if (!names.Add(name))
                    {
                        Problem(path + ".name", Child(map, "name"), $"'{name}' is used by another node pool");
                    }
                }

                var preset = OptionalText(map, "preset", path) ?? "karpenter";
                if (!Presets.Contains(preset))
                {
                    Problem(path + ".preset", Child(map, "preset"), $"'{preset}' is not a provider preset (allowed: {string.Join(", ", Presets)})");
                }
                else if (preset != classifierPreset)
                {
                    Problem(path + ".preset", Child(map, "preset") ?? map, $"'{preset}' differs from the operator's nodeClassifier.preset '{classifierPreset}', so the operator could not classify these nodes");
                }

                var capacityText = RequiredText(map, "capacityType", path);
                CapacityType? capacity = capacityText switch
                {
                    "spot" => CapacityType.Spot,
                    "on-demand" => CapacityType.OnDemand,
                    _ => null,
                };
                if (capacityText is not null && capacity is null)
                {
                    Problem(path + ".capacityType", Child(map, "capacityType"), $"'{capacityText}' must be spot or on-demand");
                }

                capacities.Add(capacity);
                var price = RequiredNumber(map, "hourlyPrice", path, 0, 1000);
                var initial = OptionalInt(map, "initialSize", path, 0, 1000) ?? 0;
                var max = OptionalInt(map, "maxSize", path, 0, 1000) ?? Math.Max(initial, 10);
                if (max < initial)
                {
                    Problem(path + ".maxSize", Child(map, "maxSize"), $"{max} is smaller than initialSize {initial}");
                }

                if (max == 0)
                {
                    Problem(path + ".maxSize", Child(map, "maxSize"), "must be at least 1 (a pool that can never hold a node has no place in the scenario)");
                }

                var podsPerNode = OptionalInt(map, "podsPerNode", path, 1, 250) ?? 20;
                var rate = OptionalNumber(map, "interruptionRatePerHour", path, 0, 60) ?? 0;
                if (capacity == CapacityType.OnDemand && rate > 0)
                {
                    Problem(path + ".interruptionRatePerHour", Child(map, "interruptionRatePerHour"), "only spot pools are interrupted; set it to 0 or make the pool spot");
                }

                var delay = OptionalDuration(map, "provisioningDelay", path) ?? TimeSpan.FromSeconds(60);
                if (delay < TimeSpan.Zero || delay > TimeSpan.FromHours(1))
                {
                    Problem(path + ".provisioningDelay", Child(map, "provisioningDelay"), "must be between 0s and 1h");
                }

                var outages = ReadOutages(map, path, duration);
                if (name is not null && capacity is not null && price is not null)
                {
                    pools.Add(new NodePoolSpec(name, preset, capacity.Value, (decimal)price.Value, initial, max, podsPerNode, rate, delay, outages));
                }
            }

            if (items.Children.Count > 0 && capacities.Count == items.Children.Count && capacities.All(c => c == CapacityType.Spot))
            {
                Problem("nodePools", items, "needs at least one on-demand pool: the on-demand floor and fallback have nowhere else to run");
            }

            return pools;
        }

        private List<OutageWindow> ReadOutages(YamlMappingNode pool, string poolPath, TimeSpan duration)
        {
            var outages = new List<OutageWindow>();
            var node = Child(pool, "outages");
            if (node is null)
            {
                return outages;
            }

            if (node is not YamlSequenceNode items)
            {
                Problem(poolPath + ".outages", node, "must be a list of {start, duration}");
                return outages;
            }

            for (var i = 0; i < items.Children.Count; i++)
            {
                var path = $"{poolPath}.outages[{i}]";
                if (items.Children[i] is not YamlMappingNode map)
                {
                    Problem(path, items.Children[i], "must be a mapping {start, duration}");
                    continue;
                }

                CheckKeys(map, path, OutageKeys);
                var start = RequiredDuration(map, "start", path);
                var length = RequiredDuration(map, "duration", path);
                if (start is { } s && duration > TimeSpan.Zero && s >= duration)
                {
                    Problem(path + ".start", Child(map, "start"), $"{GoDuration.Format(s)} is not before the end of the run ({GoDuration.Format(duration)})");
                }

                if (length is { } l && l <= TimeSpan.Zero)
                {
                    Problem(path + ".duration", Child(map, "duration"), "must be more than 0s");
                }

                if (start is not null && length is not null)
                {
                    outages.Add(new OutageWindow(start.Value, length.Value));
                }
            }

            return outages;
        }

        private List<WorkloadSpec> ReadWorkloads(YamlMappingNode root, TimeSpan duration)
        {
            var workloads = new List<WorkloadSpec>();
            var items = RequiredSequence(root, "workloads", string.Empty);
            if (items is null)
            {
                return workloads;
            }

            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Children.Count; i++)
            {
                var path = $"workloads[{i}]";
                if (items.Children[i] is not YamlMappingNode map)
                {
                    Problem(path, items.Children[i], "must be a mapping with keys " + string.Join(", ", WorkloadKeys));
                    continue;
                }

                CheckKeys(map, path, WorkloadKeys);
                var name = RequiredText(map, "name", path);
                var ns = OptionalText(map, "namespace", path) ?? "default";
                if (name is not null && !DnsLabel().IsMatch(name))
                {
                    Problem(path + ".name", Child(map, "name"), $"'{name}' must be lower-case letters, digits and '-'");
                }

                if (!DnsLabel().IsMatch(ns))
                {
                    Problem(path + ".namespace", Child(map, "namespace"), $"'{ns}' must be lower-case letters, digits and '-'");
                }

                if (name is not null && !keys.Add($"{ns}/{name}"))
                {
                    Problem(path + ".name", Child(map, "name"), $"'{ns}/{name}' is declared twice");
                }

                var kindText = OptionalText(map, "kind", path) ?? "Deployment";
                WorkloadKind? kind = kindText switch
                {
                    "Deployment" => WorkloadKind.Deployment,
                    "StatefulSet" => WorkloadKind.StatefulSet,
                    _ => null,
                };
                if (kind is null)
                {
                    Problem(path + ".kind", Child(map, "kind"), $"'{kindText}' must be Deployment or StatefulSet");
                }

                var replicas = ReadReplicas(map, path, duration);
                var labels = ReadStringMap(map, "labels", path);
                var annotations = ReadStringMap(map, "annotations", path);
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

        private ReplicaSchedule? ReadReplicas(YamlMappingNode workload, string workloadPath, TimeSpan duration)
        {
            var path = workloadPath + ".replicas";
            var node = Child(workload, "replicas");
            switch (node)
            {
                case null:
                    Problem(path, workload, "is required: a number, {steps: [{at, replicas}]} or {daily: {min, max, peakAt}}");
                    return null;
                case YamlScalarNode scalar:
                    var constant = ParseInt(scalar, path, 0, MaxReplicas);
                    return constant is null ? null : new ConstantReplicas(constant.Value);
                case YamlMappingNode map:
                    CheckKeys(map, path, ReplicaKeys);
                    if (Child(map, "steps") is not null == (Child(map, "daily") is not null))
                    {
                        Problem(path, map, "must have exactly one of steps or daily");
                        return null;
                    }

                    return Child(map, "steps") is not null ? ReadSteps(map, path, duration) : ReadDaily(map, path);
                default:
                    Problem(path, node, "must be a number, {steps: [...]} or {daily: {...}}");
                    return null;
            }
        }

        private SteppedReplicas? ReadSteps(YamlMappingNode map, string replicasPath, TimeSpan duration)
        {
            var path = replicasPath + ".steps";
            if (Child(map, "steps") is not YamlSequenceNode items || items.Children.Count == 0)
            {
                Problem(path, Child(map, "steps"), "must be a non-empty list of {at, replicas}");
                return null;
            }

            var steps = new List<ReplicaStep>();
            var ok = true;
            for (var i = 0; i < items.Children.Count; i++)
            {
                var stepPath = $"{path}[{i}]";
                if (items.Children[i] is not YamlMappingNode stepMap)
                {
                    Problem(stepPath, items.Children[i], "must be a mapping {at, replicas}");
                    ok = false;
                    continue;
                }

                CheckKeys(stepMap, stepPath, StepKeys);
                var at = RequiredDuration(stepMap, "at", stepPath);
                var replicas = RequiredInt(stepMap, "replicas", stepPath, 0, MaxReplicas);
                if (at is null || replicas is null)
                {
                    ok = false;
                    continue;
                }

                if (i == 0 && at.Value != TimeSpan.Zero)
                {
                    Problem(stepPath + ".at", Child(stepMap, "at"), "the first step must be at 0s (the replica count the run starts with)");
                    ok = false;
                }
                else if (steps.Count > 0 && at.Value <= steps[^1].At)
                {
                    Problem(stepPath + ".at", Child(stepMap, "at"), $"{GoDuration.Format(at.Value)} must come after the previous step ({GoDuration.Format(steps[^1].At)})");
                    ok = false;
                }
                else if (duration > TimeSpan.Zero && at.Value >= duration)
                {
                    Problem(stepPath + ".at", Child(stepMap, "at"), $"{GoDuration.Format(at.Value)} is not before the end of the run ({GoDuration.Format(duration)})");
                    ok = false;
                }

                steps.Add(new ReplicaStep(at.Value, replicas.Value));
            }

            return ok ? new SteppedReplicas(steps) : null;
        }

        private DailyCurveReplicas? ReadDaily(YamlMappingNode map, string replicasPath)
        {
            var path = replicasPath + ".daily";
            if (Child(map, "daily") is not YamlMappingNode daily)
            {
                Problem(path, Child(map, "daily"), "must be a mapping {min, max, peakAt, resolution}");
                return null;
            }

            CheckKeys(daily, path, DailyKeys);
            var min = RequiredInt(daily, "min", path, 0, MaxReplicas);
            var max = RequiredInt(daily, "max", path, 0, MaxReplicas);
            var peakAt = RequiredDuration(daily, "peakAt", path);
            var resolution = OptionalDuration(daily, "resolution", path) ?? TimeSpan.FromMinutes(15);
            if (min is not null && max is not null && max < min)
            {
                Problem(path + ".max", Child(daily, "max"), $"{max} is smaller than min {min}");
                return null;
            }

            if (peakAt is { } p && (p < TimeSpan.Zero || p >= TimeSpan.FromDays(1)))
            {
                Problem(path + ".peakAt", Child(daily, "peakAt"), "must be a time of day between 0s and 24h (e.g. 14h)");
                return null;
            }

            if (resolution < TimeSpan.FromSeconds(10) || resolution > TimeSpan.FromHours(6))
            {
                Problem(path + ".resolution", Child(daily, "resolution"), "must be between 10s and 6h");
                return null;
            }

            return min is null || max is null || peakAt is null ? null : new DailyCurveReplicas(min.Value, max.Value, peakAt.Value, resolution);
        }

        private Hypothesis? ReadHypothesis(YamlMappingNode root, IReadOnlyList<WorkloadSpec> workloads)
        {
            var node = Child(root, "hypothesis");
            if (node is null)
            {
                return null;
            }

            if (node is not YamlMappingNode map)
            {
                Problem("hypothesis", node, "must be a mapping {statement, criteria}");
                return null;
            }

            CheckKeys(map, "hypothesis", HypothesisKeys);
            var statement = RequiredText(map, "statement", "hypothesis");
            var items = RequiredSequence(map, "criteria", "hypothesis");
            var criteria = new List<SuccessCriterion>();
            if (items is null)
            {
                return null;
            }

            if (items.Children.Count == 0)
            {
                Problem("hypothesis.criteria", items, "needs at least one criterion {metric, op, value}");
            }

            for (var i = 0; i < items.Children.Count; i++)
            {
                var path = $"hypothesis.criteria[{i}]";
                if (items.Children[i] is not YamlMappingNode c)
                {
                    Problem(path, items.Children[i], "must be a mapping {metric, op, value, workload}");
                    continue;
                }

                CheckKeys(c, path, CriterionKeys);
                var metricName = RequiredText(c, "metric", path);
                var metric = metricName is null ? null : ScenarioMetrics.Find(metricName);
                if (metricName is not null && metric is null)
                {
                    Problem(path + ".metric", Child(c, "metric"), $"unknown metric '{metricName}' (known: {string.Join(", ", ScenarioMetrics.All.Select(m => m.Name))})");
                }

                var opText = RequiredText(c, "op", path);
                ComparisonOperator? op = null;
                if (opText is not null)
                {
                    if (ComparisonOperators.TryParse(opText, out var parsed))
                    {
                        op = parsed;
                    }
                    else
                    {
                        Problem(path + ".op", Child(c, "op"), $"'{opText}' must be one of {string.Join(", ", ComparisonOperators.Names)}");
                    }
                }

                var value = RequiredNumber(c, "value", path, double.MinValue, double.MaxValue);
                var workload = OptionalText(c, "workload", path);
                if (workload is not null)
                {
                    if (metric is { PerWorkload: false })
                    {
                        Problem(path + ".workload", Child(c, "workload"), $"metric '{metric.Name}' is measured for the whole run, not per workload");
                    }
                    else if (!workloads.Any(w => $"{w.Namespace}/{w.Name}" == workload))
                    {
                        Problem(path + ".workload", Child(c, "workload"), $"'{workload}' is not a declared workload (write namespace/name)");
                    }
                }

                if (metric is not null && op is not null && value is not null)
                {
                    criteria.Add(new SuccessCriterion(metric.Name, op.Value, value.Value, workload));
                }
            }

            return statement is null ? null : new Hypothesis(statement, criteria);
        }

        private Dictionary<string, string> ReadStringMap(YamlMappingNode parent, string key, string parentPath)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            var node = Child(parent, key);
            if (node is null)
            {
                return result;
            }

            var path = Join(parentPath, key);
            if (node is not YamlMappingNode map)
            {
                Problem(path, node, "must be a mapping of names to text values");
                return result;
            }

            foreach (var (k, v) in map.Children)
            {
                var name = (k as YamlScalarNode)?.Value;
                if (string.IsNullOrEmpty(name) || v is not YamlScalarNode { Value: { } value })
                {
                    Problem($"{path}.{name}", v, "must be a text value (quote numbers, e.g. \"70\")");
                    continue;
                }

                result[name] = value;
            }

            return result;
        }

        private void CheckKeys(YamlMappingNode map, string path, string[] allowed)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "?";
                if (!allowed.Contains(name))
                {
                    Problem(Join(path, name), key, $"unknown key '{name}' (allowed here: {string.Join(", ", allowed)})");
                }
            }
        }

        private static YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

        private YamlSequenceNode? RequiredSequence(YamlMappingNode map, string key, string path)
        {
            var node = Child(map, key);
            if (node is YamlSequenceNode sequence)
            {
                if (sequence.Children.Count == 0 && key != "criteria")
                {
                    Problem(Join(path, key), node, "must list at least one entry");
                }

                return sequence;
            }

            Problem(Join(path, key), node ?? map, node is null ? "is required (a list)" : "must be a list");
            return null;
        }

        private string? RequiredText(YamlMappingNode map, string key, string path)
        {
            var text = OptionalText(map, key, path);
            if (text is null && Child(map, key) is null)
            {
                Problem(Join(path, key), map, "is required");
            }

            return text;
        }

        private string? OptionalText(YamlMappingNode map, string key, string path)
        {
            var node = Child(map, key);
            if (node is null)
            {
                return null;
            }

            if (node is YamlScalarNode { Value: { Length: > 0 } value })
            {
                return value;
            }

            Problem(Join(path, key), node, "must be a non-empty text value");
            return null;
        }

        private TimeSpan? RequiredDuration(YamlMappingNode map, string key, string path)
        {
            if (Child(map, key) is null)
            {
                Problem(Join(path, key), map, "is required (a Go-style duration such as 90s, 30m or 24h)");
                return null;
            }

            return OptionalDuration(map, key, path);
        }

        private TimeSpan? OptionalDuration(YamlMappingNode map, string key, string path)
        {
            var node = Child(map, key);
            if (node is null)
            {
                return null;
            }

            if (node is YamlScalarNode { Value: { } text } && GoDuration.TryParse(text, out var value) && value >= TimeSpan.Zero)
            {
                return value;
            }

            Problem(Join(path, key), node, $"'{(node as YamlScalarNode)?.Value}' is not a Go-style duration such as 90s, 30m or 1h30m");
            return null;
        }

        private int? RequiredInt(YamlMappingNode map, string key, string path, int min, int max)
        {
            if (Child(map, key) is null)
            {
                Problem(Join(path, key), map, $"is required (a whole number from {min} to {max})");
                return null;
            }

            return OptionalInt(map, key, path, min, max);
        }

        private int? OptionalInt(YamlMappingNode map, string key, string path, int min, int max)
        {
            var node = Child(map, key);
            return node is null ? null : ParseInt(node, Join(path, key), min, max);
        }

        private int? ParseInt(YamlNode node, string path, int min, int max)
        {
            if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                if (value >= min && value <= max)
                {
                    return value;
                }

                Problem(path, node, $"{value} is out of range (from {min} to {max})");
                return null;
            }

            Problem(path, node, $"'{(node as YamlScalarNode)?.Value}' is not a whole number");
            return null;
        }

        private double? RequiredNumber(YamlMappingNode map, string key, string path, double min, double max)
        {
            if (Child(map, key) is null)
            {
                Problem(Join(path, key), map, "is required (a number)");
                return null;
            }

            return OptionalNumber(map, key, path, min, max);
        }

        private double? OptionalNumber(YamlMappingNode map, string key, string path, double min, double max)
        {
            var node = Child(map, key);
            if (node is null)
            {
                return null;
            }

            if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                if (value >= min && value <= max)
                {
                    return value;
                }

                Problem(Join(path, key), node, $"{text} is out of range (from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)})");
                return null;
            }

            Problem(Join(path, key), node, $"'{(node as YamlScalarNode)?.Value}' is not a number");
            return null;
        }

        private void Problem(string path, YamlNode? node, string message) =>
            Problems.Add(new ScenarioProblem(path, node is null ? 0 : (int)node.Start.Line, message));
    }
}
