using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Spotalis.Scenarios;
using Spotalis.Simulation;

namespace Spotalis.Commands;

/// <summary>
/// Builds the "reproduce this run" record of a simulate run: the command without output options, the seed, and the
/// scenario file's name, SHA-256 and text. The path is made relative to the working directory (or cut to the file
/// name) so that the same experiment gives the same summary wherever its files live.
/// </summary>
public sealed class Reproduction
{
    private readonly string _path;
    private readonly string _sha256;
    private readonly string _yaml;

    private Reproduction(string path, string sha256, string yaml)
    {
        _path = path;
        _sha256 = sha256;
        _yaml = yaml;
    }

    public static Reproduction Of(string scenarioPath)
    {
        ArgumentNullException.ThrowIfNull(scenarioPath);
        var bytes = File.ReadAllBytes(scenarioPath);
        var full = Path.GetFullPath(scenarioPath);
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), full);
        var shown = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFileName(full) : relative.Replace('\\', '/');
        return new Reproduction(shown, Convert.ToHexStringLower(SHA256.HashData(bytes)), Encoding.UTF8.GetString(bytes));
    }

    /// <summary>A single run, with the policy override when there is one.</summary>
    public ReproduceInfo ForRun(int seed, PolicyOverride policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var command = Base(seed);
        if (policy.SpotPercentage is { } spot)
        {
            command.Append(CultureInfo.InvariantCulture, $" --spot-percentage {spot}");
        }

        if (policy.MinOnDemand is { } floor)
        {
            command.Append(CultureInfo.InvariantCulture, $" --min-on-demand {floor}");
        }

        return new ReproduceInfo(command.ToString(), seed, _path, _sha256, _yaml);
    }

    /// <summary>A whole sweep.</summary>
    public ReproduceInfo ForSweep(int seed, string sweep, string? sweepFloors)
    {
        var command = Base(seed).Append(" --sweep ").Append(Quote(sweep));
        if (sweepFloors is not null)
        {
            command.Append(" --sweep-floors ").Append(Quote(sweepFloors));
        }

        return new ReproduceInfo(command.ToString(), seed, _path, _sha256, _yaml);
    }

    private StringBuilder Base(int seed) =>
        new StringBuilder("spotalis simulate ").Append(Quote(_path)).Append(CultureInfo.InvariantCulture, $" --seed {seed}");

    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:,=+@".Contains(c, StringComparison.Ordinal))
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
