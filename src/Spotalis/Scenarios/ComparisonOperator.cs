namespace Spotalis.Scenarios;

/// <summary>How a criterion compares the measured value with its threshold.</summary>
public enum ComparisonOperator
{
    Lt,
    Lte,
    Gt,
    Gte,
}
