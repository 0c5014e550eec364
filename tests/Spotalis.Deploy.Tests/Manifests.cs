using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>Loads manifests (kustomize builds, rendered charts) and picks objects out of them.</summary>
internal static class Manifests
{
    // The files do not change while the tests run; kubectl takes a second per build on a loaded machine.
    private static readonly ConcurrentDictionary<string, Lazy<string>> Builds = new(StringComparer.Ordinal);

    /// <summary>Runs <c>kubectl kustomize</c> (kubectl's built-in kustomize) on a directory.</summary>
    public static IReadOnlyList<JsonObject> Kustomize(string directory) =>
        YamlValues.ParseAll(KustomizeYaml(directory)).Cast<JsonObject>().ToList();

    public static string KustomizeYaml(string directory) =>
        Builds.GetOrAdd(directory, d => new Lazy<string>(() => Build(d))).Value;

    private static string Build(string directory)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException($"kubectl kustomize {directory} did not finish in 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} failed: {stderr.Result}");
        }

        return stdout.Result;
    }

    public static string Key(JsonObject manifest) =>
        $"{manifest["kind"]}/{manifest["metadata"]?["name"]}";

    public static JsonObject Single(IEnumerable<JsonObject> manifests, string kind, string name) =>
        manifests.SingleOrDefault(m => Key(m) == $"{kind}/{name}")
        ?? throw new KeyNotFoundException($"no {kind} named {name} among: {string.Join(", ", manifests.Select(Key))}");

    /// <summary>A copy without the labels that legitimately differ between Helm and kustomize installs.</summary>
    public static JsonObject WithoutInstallLabels(JsonObject manifest)
    {
        var copy = (JsonObject)manifest.DeepClone();
        if (copy["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var key in new[] { "app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/managed-by", "helm.sh/chart" })
            {
                labels.Remove(key);
            }
        }

        return copy;
    }
}
