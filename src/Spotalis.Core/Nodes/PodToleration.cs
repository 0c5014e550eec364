namespace Spotalis.Core.Nodes;

/// <summary>A toleration the webhook adds to a pod (operator <c>Equal</c> or <c>Exists</c>).</summary>
public sealed record PodToleration(string Key, string Operator, string? Value, string Effect)
{
    public const string EqualOperator = "Equal";
    public const string ExistsOperator = "Exists";
    public const string NoSchedule = "NoSchedule";
}
