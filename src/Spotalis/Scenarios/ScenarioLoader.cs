using Spotalis.Core.Timing;
using Spotalis.Scenarios.Loading;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Scenarios;

/// <summary>
/// Reads a scenario YAML file and validates all of it before anything runs: every problem is reported with its
/// YAML path and line, so one edit-run cycle fixes them all.
/// </summary>
public static class ScenarioLoader
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(31);
    public const int MaxReplicas = 1000;

    private static readonly string[] TopLevelKeys = ["name", "description", "duration", "step", "seed", "nodePools", "workloads", "operator", "hypothesis"];

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
        var fields = new YamlFields();
        var scenario = Read(fields, yaml);
        if (fields.Problems.Count > 0 || scenario is null)
        {
            throw new ScenarioException(source, fields.Problems);
        }

        return scenario;
    }

    private static Scenario? Read(YamlFields fields, string yaml)
    {
        YamlNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0)
            {
                fields.Problem("(document)", null, "the file is empty; a scenario needs at least name, duration, nodePools and workloads");
                return null;
            }

            root = stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            fields.Problems.Add(new ScenarioProblem("(syntax)", (int)e.Start.Line, $"not valid YAML: {e.InnerException?.Message ?? e.Message}"));
            return null;
        }

        if (root is not YamlMappingNode map)
        {
            fields.Problem("(document)", root, "the scenario must be a mapping with keys " + string.Join(", ", TopLevelKeys));
            return null;
        }

        fields.CheckKeys(map, string.Empty, TopLevelKeys);
        var name = fields.RequiredText(map, "name", string.Empty);
        if (name is not null && !ScenarioNames.DnsLabel().IsMatch(name))
        {
            fields.Problem("name", YamlFields.Child(map, "name"), $"'{name}' must be lower-case letters, digits and '-' (it names output files)");
        }

        var description = fields.OptionalText(map, "description", string.Empty) ?? string.Empty;
        var duration = fields.RequiredDuration(map, "duration", string.Empty);
        if (duration is { } d && (d <= TimeSpan.Zero || d > MaxDuration))
        {
            fields.Problem("duration", YamlFields.Child(map, "duration"), $"must be more than 0s and at most {GoDuration.Format(MaxDuration)}");
        }

        var step = fields.OptionalDuration(map, "step", string.Empty) ?? TimeSpan.FromSeconds(10);
        if (step < TimeSpan.FromSeconds(1) || step > TimeSpan.FromMinutes(5))
        {
            fields.Problem("step", YamlFields.Child(map, "step"), "must be between 1s and 5m (smaller is more faithful, larger is faster)");
        }
        else if (duration is { } total && total > TimeSpan.Zero && step > total)
        {
            fields.Problem("step", YamlFields.Child(map, "step"), "must not be longer than duration");
        }

        var seed = fields.OptionalInt(map, "seed", string.Empty, 0, int.MaxValue) ?? 1;
        var runLength = duration ?? TimeSpan.Zero;
        var operatorSettings = OperatorSettingsReader.Read(fields, map);
        var pools = NodePoolsReader.Read(fields, map, runLength, operatorSettings);
        var workloads = WorkloadsReader.Read(fields, map, runLength);
        var hypothesis = HypothesisReader.Read(fields, map, workloads);

        if (name is null || duration is null)
        {
            return null;
        }

        return new Scenario(name, description, duration.Value, step, seed, pools, workloads, operatorSettings, hypothesis);
    }
}
