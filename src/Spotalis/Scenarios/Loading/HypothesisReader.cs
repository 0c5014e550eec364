using YamlDotNet.RepresentationModel;

namespace Spotalis.Scenarios.Loading;

/// <summary>Reads the scenario's optional <c>hypothesis</c>: a statement and criteria over known metrics, per workload where the metric is.</summary>
internal static class HypothesisReader
{
    private static readonly string[] HypothesisKeys = ["statement", "criteria"];
    private static readonly string[] CriterionKeys = ["metric", "op", "value", "workload"];

    public static Hypothesis? Read(YamlFields fields, YamlMappingNode root, IReadOnlyList<WorkloadSpec> workloads)
    {
        var node = YamlFields.Child(root, "hypothesis");
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            fields.Problem("hypothesis", node, "must be a mapping {statement, criteria}");
            return null;
        }

        fields.CheckKeys(map, "hypothesis", HypothesisKeys);
        var statement = fields.RequiredText(map, "statement", "hypothesis");
        var items = fields.RequiredSequence(map, "criteria", "hypothesis");
        var criteria = new List<SuccessCriterion>();
        if (items is null)
        {
            return null;
        }

        if (items.Children.Count == 0)
        {
            fields.Problem("hypothesis.criteria", items, "needs at least one criterion {metric, op, value}");
        }

        foreach (var (path, c) in fields.Entries(items, "hypothesis.criteria", CriterionKeys, "{metric, op, value, workload}"))
        {
            var metricName = fields.RequiredText(c, "metric", path);
            var metric = metricName is null ? null : ScenarioMetrics.Find(metricName);
            if (metricName is not null && metric is null)
            {
                fields.Problem(path + ".metric", YamlFields.Child(c, "metric"), $"unknown metric '{metricName}' (known: {string.Join(", ", ScenarioMetrics.All.Select(m => m.Name))})");
            }

            var opText = fields.RequiredText(c, "op", path);
            ComparisonOperator? op = null;
            if (opText is not null)
            {
                if (ComparisonOperators.TryParse(opText, out var parsed))
                {
                    op = parsed;
                }
                else
                {
                    fields.Problem(path + ".op", YamlFields.Child(c, "op"), $"'{opText}' must be one of {string.Join(", ", ComparisonOperators.Names)}");
                }
            }

            var value = fields.RequiredNumber(c, "value", path, double.MinValue, double.MaxValue);
            var workload = fields.OptionalText(c, "workload", path);
            if (workload is not null)
            {
                if (metric is { PerWorkload: false })
                {
                    fields.Problem(path + ".workload", YamlFields.Child(c, "workload"), $"metric '{metric.Name}' is measured for the whole run, not per workload");
                }
                else if (!workloads.Any(w => $"{w.Namespace}/{w.Name}" == workload))
                {
                    fields.Problem(path + ".workload", YamlFields.Child(c, "workload"), $"'{workload}' is not a declared workload (write namespace/name)");
                }
            }

            if (metric is not null && op is not null && value is not null)
            {
                criteria.Add(new SuccessCriterion(metric.Name, op.Value, value.Value, workload));
            }
        }

        return statement is null ? null : new Hypothesis(statement, criteria);
    }
}
