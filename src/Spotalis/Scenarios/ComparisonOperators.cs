namespace Spotalis.Scenarios;

/// <summary>The YAML spelling of <see cref="ComparisonOperator"/>.</summary>
public static class ComparisonOperators
{
    public static IReadOnlyList<string> Names { get; } = ["lt", "lte", "gt", "gte"];

    public static bool TryParse(string? text, out ComparisonOperator op)
    {
        switch (text)
        {
            case "lt": op = ComparisonOperator.Lt; return true;
            case "lte": op = ComparisonOperator.Lte; return true;
            case "gt": op = ComparisonOperator.Gt; return true;
            case "gte": op = ComparisonOperator.Gte; return true;
            default: op = default; return false;
        }
    }

    public static string ToName(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Lt => "lt",
        ComparisonOperator.Lte => "lte",
        ComparisonOperator.Gt => "gt",
        _ => "gte",
    };

    public static string ToText(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Lt => "<",
        ComparisonOperator.Lte => "<=",
        ComparisonOperator.Gt => ">",
        _ => ">=",
    };
}
