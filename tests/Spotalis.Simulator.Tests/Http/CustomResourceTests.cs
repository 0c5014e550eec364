using System.Text.Json.Nodes;
using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Tests.Http;

/// <summary>CustomResourceDefinitions with the real kubectl: define a kind, then create, list, watch, patch and delete its objects.</summary>
public sealed class CustomResourceTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private static string Definition(string plural, string kind, string group, string scope = "Namespaced") => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: {{plural}}.{{group}}
        spec:
          group: {{group}}
          scope: {{scope}}
          names: {plural: {{plural}}, singular: {{kind.ToLowerInvariant()}}, kind: {{kind}}, shortNames: [{{plural[..3]}}x]}
          versions:
            - name: v1
              served: true
              storage: true
              subresources:
                status: {}
              schema:
                openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;

    [Fact]
    public async Task A_kubectl_applied_definition_serves_objects_that_kubectl_creates_patches_and_watches()
    {
        var ns = sim.NewNamespace();
        await Kubectl.OkAsync(sim.KubeconfigPath, "apply", "-f", Write(Definition("widgets", "Widget", "crd-a.example.com")));
        await Kubectl.OkAsync(sim.KubeconfigPath, "wait", "--for", "condition=established", "crd/widgets.crd-a.example.com", "--timeout=60s");
        await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "apply", "-f", Write("""
            apiVersion: crd-a.example.com/v1
            kind: Widget
            metadata: {name: w1}
            spec: {size: 3, nested: {keep: [1, 2]}}
            extra: {unknown: field}
            """));

        using var watch = Kubectl.Start(sim.KubeconfigPath, "-n", ns, "get", "widgets", "-w", "-o", "jsonpath={.metadata.name} {.spec.size}{\"\\n\"}");
        var lines = new List<string>();
        var reader = Task.Run(async () =>
        {
            while (await watch.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
        try
        {
            await Cluster.Eventually.TrueAsync(() => { lock (lines) { return lines.Contains("w1 3"); } }, "the watch to list w1");
            await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "patch", "widget", "w1", "--type", "merge", "-p", """{"spec":{"size":5}}""");
            await Cluster.Eventually.TrueAsync(() => { lock (lines) { return lines.Contains("w1 5"); } }, "the watch to stream the patch");
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await reader;
        }

        var stored = JsonNode.Parse(await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "get", "widx", "w1", "-o", "json"))!;
        Assert.Equal(5, stored["spec"]!["size"]!.GetValue<int>());
        Assert.Equal("[1,2]", stored["spec"]!["nested"]!["keep"]!.ToJsonString());
        Assert.Equal("field", stored["extra"]!["unknown"]!.GetValue<string>());
        Assert.Equal(2, stored["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_status_subresource_alone_changes_status_and_leaves_generation_alone()
    {
        var ns = sim.NewNamespace();
        await Kubectl.OkAsync(sim.KubeconfigPath, "apply", "-f", Write(Definition("gadgets", "Gadget", "crd-b.example.com")));
        await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "apply", "-f", Write("""
            apiVersion: crd-b.example.com/v1
            kind: Gadget
            metadata: {name: g1}
            spec: {size: 1}
            """));

        await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "patch", "gadget", "g1", "--subresource", "status", "--type", "merge", "-p", """{"status":{"ready":true}}""");
        await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "patch", "gadget", "g1", "--type", "merge", "-p", """{"status":{"ready":false}}""");

        var stored = JsonNode.Parse(await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "get", "gadget", "g1", "-o", "json"))!;
        Assert.True(stored["status"]!["ready"]!.GetValue<bool>());
        Assert.Equal(1, stored["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task Deleting_the_definition_deletes_its_objects_and_stops_serving_the_kind()
    {
        await Kubectl.OkAsync(sim.KubeconfigPath, "apply", "-f", Write(Definition("gizmos", "Gizmo", "crd-c.example.com", "Cluster")));
        await Kubectl.OkAsync(sim.KubeconfigPath, "apply", "-f", Write("""
            apiVersion: crd-c.example.com/v1
            kind: Gizmo
            metadata: {name: z1}
            spec: {size: 1}
            """));
        var resource = Assert.Single(sim.Api.Resources.Defined("crd-c.example.com", "gizmos"));
        Assert.Single(sim.Api.ListObjects(resource, null).Items);

        await Kubectl.OkAsync(sim.KubeconfigPath, "delete", "crd", "gizmos.crd-c.example.com");

        var (code, _, error) = await Kubectl.RunAsync(sim.KubeconfigPath, "get", "gizmos.crd-c.example.com");
        Assert.NotEqual(0, code);
        Assert.Contains("the server doesn't have a resource type", error, StringComparison.Ordinal);
        Assert.Empty(sim.Api.Resources.Defined("crd-c.example.com", "gizmos"));
    }

    [Fact]
    public async Task A_definition_whose_name_is_not_plural_dot_group_is_refused()
    {
        var (code, _, error) = await Kubectl.RunAsync(sim.KubeconfigPath, "apply", "-f", Write(Definition("things", "Thing", "crd-d.example.com").Replace("name: things.crd-d.example.com", "name: wrong.crd-d.example.com", StringComparison.Ordinal)));

        Assert.NotEqual(0, code);
        Assert.Contains("must be spec.names.plural+\".\"+spec.group", error, StringComparison.Ordinal);
        Assert.Null(sim.Api.Get<V1CustomResourceDefinition>(null, "wrong.crd-d.example.com"));
    }

    [Fact]
    public async Task Objects_of_a_kind_nothing_defines_are_refused_in_process_too()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => sim.Api.CreateAsync(new CustomObject { ApiVersion = "nothing.example.com/v1", Kind = "Nothing", Metadata = new V1ObjectMeta { Name = "n" } }));

        Assert.Equal(404, error.StatusCode);
    }

    private static string Write(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"crd-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
