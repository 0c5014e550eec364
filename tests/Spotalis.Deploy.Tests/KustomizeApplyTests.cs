using System.Text.Json.Nodes;
using Spotalis.Simulator.Http;

namespace Spotalis.Deploy.Tests;

/// <summary>
/// The plain manifests are accepted by a Kubernetes API server: <c>kubectl kustomize deploy/kustomize/base |
/// kubectl apply -f -</c> against the simulator's HTTP API, then every object read back as applied.
/// </summary>
public sealed class KustomizeApplyTests
{
    [Fact]
    public async Task Kustomize_base_applies_and_every_object_is_stored_as_written()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorServerOptions { Port = 0 });
        using var directory = new TemporaryDirectory();
        var kubeconfig = Path.Combine(directory.Path, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        var manifests = Manifests.KustomizeYaml(RepoPaths.KustomizeBase);
        var applied = YamlValues.ParseAll(manifests).Cast<JsonObject>().ToList();

        var apply = await Kubectl.RunAsync(kubeconfig, ["apply", "-f", "-"], manifests);

        Assert.True(apply.ExitCode == 0, $"kubectl apply failed:\n{apply.Stderr}\n{apply.Stdout}");
        var created = apply.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(applied.Count, created.Count(l => l.EndsWith(" created", StringComparison.Ordinal)));

        var get = await Kubectl.RunAsync(kubeconfig, ["get", "-f", "-", "-o", "json"], manifests);
        Assert.True(get.ExitCode == 0, $"kubectl get failed:\n{get.Stderr}");
        var stored = JsonNode.Parse(get.Stdout)!["items"]!.AsArray().Select(i => (JsonObject)i!).ToList();
        foreach (var manifest in applied)
        {
            var match = stored.SingleOrDefault(s => Manifests.Key(s) == Manifests.Key(manifest));
            Assert.True(match is not null, $"{Manifests.Key(manifest)} was not stored");
            var difference = JsonSubset.FirstDifference(manifest, match);
            Assert.True(difference is null, $"{Manifests.Key(manifest)} differs from what was applied: {difference}");
        }
    }

    [Fact]
    public async Task Applying_the_base_again_succeeds_and_creates_nothing_new()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorServerOptions { Port = 0 });
        using var directory = new TemporaryDirectory();
        var kubeconfig = Path.Combine(directory.Path, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        var manifests = Manifests.KustomizeYaml(RepoPaths.KustomizeBase);

        var first = await Kubectl.RunAsync(kubeconfig, ["apply", "-f", "-"], manifests);
        var second = await Kubectl.RunAsync(kubeconfig, ["apply", "-f", "-"], manifests);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        // A GitOps tool re-applies constantly: nothing may be created twice or rejected. (kubectl may report
        // "configured" for fields it cannot strategic-merge without the real OpenAPI schema; contents are checked.)
        var lines = second.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(YamlValues.ParseAll(manifests).Count, lines.Length);
        Assert.All(lines, l => Assert.True(l.EndsWith(" unchanged", StringComparison.Ordinal) || l.EndsWith(" configured", StringComparison.Ordinal), l));
        var get = await Kubectl.RunAsync(kubeconfig, ["get", "-f", "-", "-o", "json"], manifests);
        var stored = JsonNode.Parse(get.Stdout)!["items"]!.AsArray().Select(i => (JsonObject)i!).ToList();
        foreach (var manifest in YamlValues.ParseAll(manifests).Cast<JsonObject>())
        {
            var match = stored.Single(s => Manifests.Key(s) == Manifests.Key(manifest));
            Assert.Null(JsonSubset.FirstDifference(manifest, match));
        }
    }
}
