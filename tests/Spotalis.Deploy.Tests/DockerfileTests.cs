using System.Text.RegularExpressions;

namespace Spotalis.Deploy.Tests;

/// <summary>No Docker engine exists here, so the image cannot be built in CI; these checks catch the usual ways a
/// Dockerfile rots: a new project missing from the restore layer, a build input left out of the context, root.</summary>
public sealed partial class DockerfileTests
{
    private static readonly Lazy<string[]> Lines = new(() => File.ReadAllLines(Path.Combine(RepoPaths.Root, "Dockerfile")));

    [Fact]
    public void Restore_layer_copies_every_source_project()
    {
        var copied = Lines.Value.Where(l => l.StartsWith("COPY src/", StringComparison.Ordinal) && l.Contains(".csproj", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1]).ToHashSet(StringComparer.Ordinal);
        var projects = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoPaths.Root, p).Replace('\\', '/'));

        Assert.All(projects, p => Assert.Contains(p, copied));
    }

    [Fact]
    public void Build_inputs_at_the_root_are_copied_and_not_ignored()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"));
        var rootCopy = Lines.Value.Single(l => l.StartsWith("COPY ", StringComparison.Ordinal) && l.EndsWith(" ./", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal));
        var inputs = new[] { ".editorconfig", "Directory.Build.props", "Directory.Packages.props", "global.json", "nuget.config", "NuGet.config", "Directory.Build.targets" }
            .Where(f => File.Exists(Path.Combine(RepoPaths.Root, f)));

        foreach (var input in inputs)
        {
            Assert.Contains(input, rootCopy.Split(' '));
            Assert.Contains($"!{input}", ignore);
        }
    }

    [Fact]
    public void Image_runs_the_operator_as_a_non_root_user_on_a_chiseled_base()
    {
        var stages = Lines.Value.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var user = Lines.Value.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));

        Assert.Contains("mcr.microsoft.com/dotnet/sdk:10.0", stages[0], StringComparison.Ordinal);
        Assert.Matches(ChiseledBase(), stages[^1]);
        Assert.DoesNotMatch(@"USER (0|root)\b", user);
        Assert.Contains(Lines.Value, l => l == "ENTRYPOINT [\"/app/spotalis\"]");
        Assert.Contains(Lines.Value, l => l == "CMD [\"run\", \"--config\", \"/etc/spotalis/config.yaml\"]");
    }

    [Fact]
    public void Image_user_is_the_one_the_manifests_run_as()
    {
        var user = Lines.Value.Last(l => l.StartsWith("USER ", StringComparison.Ordinal)).Split(' ')[1].Split(':')[0];
        var deployment = Manifests.Single(Manifests.Kustomize(RepoPaths.KustomizeBase), "Deployment", "spotalis");

        Assert.Equal(long.Parse(user, System.Globalization.CultureInfo.InvariantCulture),
            deployment["spec"]!["template"]!["spec"]!["securityContext"]!["runAsUser"]!.GetValue<long>());
    }

    [Fact]
    public void Image_ships_the_native_aot_binary_published_as_ci_publishes_and_tests_it()
    {
        var text = string.Join('\n', Lines.Value);
        var script = File.ReadAllText(Path.Combine(RepoPaths.Root, "scripts", "publish-aot.sh"));

        // The switches that make the binary CI tests (scripts/publish-aot.sh) the one the image ships.
        foreach (var property in new[] { "-p:SpotalisAot=true", "-p:TrimmerSingleWarn=false", "-p:StripSymbols=true" })
        {
            Assert.Contains(property, text, StringComparison.Ordinal);
            Assert.Contains(property, script, StringComparison.Ordinal);
        }

        Assert.Contains("FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled", Lines.Value);
        Assert.Contains("COPY --from=build /app/spotalis ./", Lines.Value);
    }

    [GeneratedRegex(@"^FROM mcr\.microsoft\.com/dotnet/(aspnet|runtime-deps|runtime):10\.0-noble-chiseled")]
    private static partial Regex ChiseledBase();
}
