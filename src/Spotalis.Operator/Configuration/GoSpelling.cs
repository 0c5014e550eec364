namespace Spotalis.Operator.Configuration;

/// <summary>
/// One setting of the Go Spotalis (v0.1.x): a YAML path of its config tree or an environment variable, and how its
/// text value maps onto this project's keys. <see cref="GoSpellings"/> lists them all.
/// </summary>
/// <param name="Name">The Go YAML path (e.g. <c>operator.readOnlyMode</c>) or environment variable name.</param>
/// <param name="NewSpelling">What to write instead, named in the deprecation line.</param>
/// <param name="Translate">Maps the Go text value to assignments of this project's keys, a note, or an error.</param>
public sealed record GoSpelling(string Name, bool IsEnvironment, string NewSpelling, Func<string, GoTranslation> Translate);

/// <summary>The outcome of translating one Go value.</summary>
/// <param name="Assignments">This project's key paths and the text values to apply to them.</param>
/// <param name="Note">A line to log when the Go value has no effect here (or none in Go either).</param>
/// <param name="Error">Set when the value cannot be honoured: startup stops with this message.</param>
public sealed record GoTranslation(IReadOnlyList<KeyValuePair<string, string>> Assignments, string? Note, string? Error)
{
    public static GoTranslation To(string path, string value) => new([new(path, value)], null, null);

    public static GoTranslation ToMany(params KeyValuePair<string, string>[] assignments) => new(assignments, null, null);

    public static GoTranslation NotApplied(string note) => new([], note, null);

    public static GoTranslation Nothing { get; } = new([], null, null);

    public static GoTranslation Invalid(string error) => new([], null, error);
}
