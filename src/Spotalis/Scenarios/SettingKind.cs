namespace Spotalis.Scenarios;

/// <summary>The type of value an operator setting takes in a scenario file.</summary>
public enum SettingKind
{
    Text,
    Boolean,
    Integer,
    Number,
    Duration,
}
