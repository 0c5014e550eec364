namespace Spotalis.Operator.Configuration;

/// <summary>A configuration file translated into this project's spelling (see <see cref="ConfigurationLoader.Translate(string, string)"/>).</summary>
/// <param name="Config">The resulting configuration, or null when <paramref name="Problems"/> would stop the operator.</param>
/// <param name="Yaml">The same settings in this project's keys (only the keys the file set).</param>
/// <param name="Notices">Deprecation lines and not-applied settings the operator would log.</param>
/// <param name="Problems">What would stop the operator (exit 2).</param>
/// <param name="GoSpellingsUsed">The Go keys the file used.</param>
public sealed record ConfigurationTranslation(
    SpotalisConfig? Config,
    string Yaml,
    IReadOnlyList<string> Notices,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> GoSpellingsUsed);
