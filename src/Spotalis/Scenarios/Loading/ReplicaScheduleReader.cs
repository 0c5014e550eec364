using Spotalis.Core.Timing;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Scenarios.Loading;

/// <summary>Reads a workload's <c>replicas</c>: a constant, <c>steps</c> (starting at 0s, increasing, within the run) or a <c>daily</c> curve.</summary>
internal static class ReplicaScheduleReader
{
    private static readonly string[] ReplicaKeys = ["steps", "daily"];
    private static readonly string[] StepKeys = ["at", "replicas"];
    private static readonly string[] DailyKeys = ["min", "max", "peakAt", "resolution"];

    public static ReplicaSchedule? Read(YamlFields fields, YamlMappingNode workload, string workloadPath, TimeSpan duration)
    {
        var path = workloadPath + ".replicas";
        var node = YamlFields.Child(workload, "replicas");
        switch (node)
        {
            case null:
                fields.Problem(path, workload, "is required: a number, {steps: [{at, replicas}]} or {daily: {min, max, peakAt}}");
                return null;
            case YamlScalarNode scalar:
                var constant = fields.ParseInt(scalar, path, 0, ScenarioLoader.MaxReplicas);
                return constant is null ? null : new ConstantReplicas(constant.Value);
            case YamlMappingNode map:
                fields.CheckKeys(map, path, ReplicaKeys);
                if (YamlFields.Child(map, "steps") is not null == (YamlFields.Child(map, "daily") is not null))
                {
                    fields.Problem(path, map, "must have exactly one of steps or daily");
                    return null;
                }

                return YamlFields.Child(map, "steps") is not null ? ReadSteps(fields, map, path, duration) : ReadDaily(fields, map, path);
            default:
                fields.Problem(path, node, "must be a number, {steps: [...]} or {daily: {...}}");
                return null;
        }
    }

    private static SteppedReplicas? ReadSteps(YamlFields fields, YamlMappingNode map, string replicasPath, TimeSpan duration)
    {
        var path = replicasPath + ".steps";
        if (YamlFields.Child(map, "steps") is not YamlSequenceNode items || items.Children.Count == 0)
        {
            fields.Problem(path, YamlFields.Child(map, "steps"), "must be a non-empty list of {at, replicas}");
            return null;
        }

        var steps = new List<ReplicaStep>();
        var ok = true;
        for (var i = 0; i < items.Children.Count; i++)
        {
            var stepPath = $"{path}[{i}]";
            if (items.Children[i] is not YamlMappingNode stepMap)
            {
                fields.Problem(stepPath, items.Children[i], "must be a mapping {at, replicas}");
                ok = false;
                continue;
            }

            fields.CheckKeys(stepMap, stepPath, StepKeys);
            var at = fields.RequiredDuration(stepMap, "at", stepPath);
            var replicas = fields.RequiredInt(stepMap, "replicas", stepPath, 0, ScenarioLoader.MaxReplicas);
            if (at is null || replicas is null)
            {
                ok = false;
                continue;
            }

            if (i == 0 && at.Value != TimeSpan.Zero)
            {
                fields.Problem(stepPath + ".at", YamlFields.Child(stepMap, "at"), "the first step must be at 0s (the replica count the run starts with)");
                ok = false;
            }
            else if (steps.Count > 0 && at.Value <= steps[^1].At)
            {
                fields.Problem(stepPath + ".at", YamlFields.Child(stepMap, "at"), $"{GoDuration.Format(at.Value)} must come after the previous step ({GoDuration.Format(steps[^1].At)})");
                ok = false;
            }
            else if (duration > TimeSpan.Zero && at.Value >= duration)
            {
                fields.Problem(stepPath + ".at", YamlFields.Child(stepMap, "at"), $"{GoDuration.Format(at.Value)} is not before the end of the run ({GoDuration.Format(duration)})");
                ok = false;
            }

            steps.Add(new ReplicaStep(at.Value, replicas.Value));
        }

        return ok ? new SteppedReplicas(steps) : null;
    }

    private static DailyCurveReplicas? ReadDaily(YamlFields fields, YamlMappingNode map, string replicasPath)
    {
        var path = replicasPath + ".daily";
        if (YamlFields.Child(map, "daily") is not YamlMappingNode daily)
        {
            fields.Problem(path, YamlFields.Child(map, "daily"), "must be a mapping {min, max, peakAt, resolution}");
            return null;
        }

        fields.CheckKeys(daily, path, DailyKeys);
        var min = fields.RequiredInt(daily, "min", path, 0, ScenarioLoader.MaxReplicas);
        var max = fields.RequiredInt(daily, "max", path, 0, ScenarioLoader.MaxReplicas);
        var peakAt = fields.RequiredDuration(daily, "peakAt", path);
        var resolution = fields.OptionalDuration(daily, "resolution", path) ?? TimeSpan.FromMinutes(15);
        if (min is not null && max is not null && max < min)
        {
            fields.Problem(path + ".max", YamlFields.Child(daily, "max"), $"{max} is smaller than min {min}");
            return null;
        }

        if (peakAt is { } p && (p < TimeSpan.Zero || p >= TimeSpan.FromDays(1)))
        {
            fields.Problem(path + ".peakAt", YamlFields.Child(daily, "peakAt"), "must be a time of day between 0s and 24h (e.g. 14h)");
            return null;
        }

        if (resolution < TimeSpan.FromSeconds(10) || resolution > TimeSpan.FromHours(6))
        {
            fields.Problem(path + ".resolution", YamlFields.Child(daily, "resolution"), "must be between 10s and 6h");
            return null;
        }

        return min is null || max is null || peakAt is null ? null : new DailyCurveReplicas(min.Value, max.Value, peakAt.Value, resolution);
    }
}
