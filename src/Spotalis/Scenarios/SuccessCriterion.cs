namespace Spotalis.Scenarios;

/// <summary>"<paramref name="Metric"/> <paramref name="Operator"/> <paramref name="Value"/>", optionally about one workload.</summary>
/// <param name="Workload">"namespace/name" to judge one workload; null judges the whole run.</param>
public sealed record SuccessCriterion(string Metric, ComparisonOperator Operator, double Value, string? Workload)
{
    public bool IsMetBy(double actual) => Operator switch
    {
        ComparisonOperator.Lt => actual < Value,
        ComparisonOperator.Lte => actual <= Value,
        ComparisonOperator.Gt => actual > Value,
        ComparisonOperator.Gte => actual >= Value,
        _ => false,
    };

    public override string ToString() =>
        $"{Metric}{(Workload is null ? string.Empty : $"[{Workload}]")} {ComparisonOperators.ToText(Operator)} {Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
