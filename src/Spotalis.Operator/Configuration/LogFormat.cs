namespace Spotalis.Operator.Configuration;

/// <summary>Log output format.</summary>
public enum LogFormat
{
    Json,
    Text,
}
