namespace Spotalis.Operator.Observability;

/// <summary>The <c>type</c> of a Kubernetes Event, written as the enum member's name.</summary>
public enum EventType
{
    Normal,
    Warning,
}
