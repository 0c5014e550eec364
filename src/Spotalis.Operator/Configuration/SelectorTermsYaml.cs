using Spotalis.Core.Nodes;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Operator.Configuration;

/// <summary>Reads a YAML list of <c>{matchLabels, matchExpressions}</c> node selector terms.</summary>
internal static class SelectorTermsYaml
{
    private static readonly string[] Operators = ["In", "NotIn", "Exists", "DoesNotExist"];

    public static IReadOnlyList<NodeSelectorTerm> Parse(YamlNode node, string path, List<string> problems)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            problems.Add($"{path}: expected a list of {{matchLabels, matchExpressions}} terms");
            return [];
        }

        var terms = new List<NodeSelectorTerm>();
        var index = 0;
        foreach (var item in sequence.Children)
        {
            var itemPath = $"{path}[{index++}]";
            if (item is not YamlMappingNode mapping)
            {
                problems.Add($"{itemPath}: expected a mapping with matchLabels and/or matchExpressions");
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var expressions = new List<LabelSelectorRequirement>();
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value;
                if (key == "matchLabels" && valueNode is YamlMappingNode labelMap)
                {
                    foreach (var (labelKey, labelValue) in labelMap.Children)
                    {
                        if (labelKey is YamlScalarNode { Value: { } labelName })
                        {
                            labels[labelName] = (labelValue as YamlScalarNode)?.Value ?? "";
                        }
                        else
                        {
                            problems.Add($"{itemPath}.matchLabels: a label key must be a plain string, found a {labelKey.NodeType}");
                        }
                    }
                }
                else if (key == "matchExpressions" && valueNode is YamlSequenceNode expressionList)
                {
                    foreach (var expression in expressionList.Children)
                    {
                        if (ParseExpression(expression, itemPath, problems) is { } requirement)
                        {
                            expressions.Add(requirement);
                        }
                    }
                }
                else
                {
                    problems.Add($"{itemPath}.{key}: unknown key or wrong shape (expected matchLabels mapping or matchExpressions list)");
                }
            }

            if (labels.Count == 0 && expressions.Count == 0)
            {
                problems.Add($"{itemPath}: an empty term would match every node");
                continue;
            }

            terms.Add(new NodeSelectorTerm(labels, expressions));
        }

        return terms;
    }

    private static LabelSelectorRequirement? ParseExpression(YamlNode node, string path, List<string> problems)
    {
        if (node is not YamlMappingNode mapping)
        {
            problems.Add($"{path}.matchExpressions: each expression must be a mapping {{key, operator, values}}");
            return null;
        }

        string? key = null;
        string? op = null;
        var values = new List<string>();
        foreach (var (k, v) in mapping.Children)
        {
            switch ((k as YamlScalarNode)?.Value)
            {
                case "key":
                    key = (v as YamlScalarNode)?.Value;
                    break;
                case "operator":
                    op = (v as YamlScalarNode)?.Value;
                    break;
                case "values" when v is YamlSequenceNode list:
                    values.AddRange(list.Children.Select(x => (x as YamlScalarNode)?.Value ?? ""));
                    break;
                default:
                    problems.Add($"{path}.matchExpressions: unknown field '{(k as YamlScalarNode)?.Value ?? k.NodeType.ToString()}'");
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(key) || op is null || !Operators.Contains(op))
        {
            problems.Add($"{path}.matchExpressions: needs a key and an operator of {string.Join(", ", Operators)}");
            return null;
        }

        if (op is "In" or "NotIn" && values.Count == 0)
        {
            problems.Add($"{path}.matchExpressions: operator {op} on '{key}' needs at least one value");
            return null;
        }

        return new LabelSelectorRequirement(key, op, values);
    }
}
