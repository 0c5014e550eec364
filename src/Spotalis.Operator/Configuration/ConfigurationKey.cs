namespace Spotalis.Operator.Configuration;

/// <summary>
/// One configuration key: its YAML path, environment variable, built-in default (as text) and how a text value
/// is applied. <see cref="ConfigurationKeys.All"/> is the single source for the loader and the reference docs.
/// </summary>
/// <param name="Apply">Returns the changed configuration, or an error message describing the allowed values.</param>
public sealed record ConfigurationKey(
    string Path,
    string? EnvironmentVariable,
    string DefaultValue,
    string Description,
    Func<SpotalisConfig, string, ConfigurationValue> Apply);

/// <summary>The outcome of applying one text value: the new configuration, or an error.</summary>
public readonly record struct ConfigurationValue(SpotalisConfig? Config, string? Error)
{
    public static ConfigurationValue Ok(SpotalisConfig config) => new(config, null);

    public static ConfigurationValue Invalid(string error) => new(null, error);
}
