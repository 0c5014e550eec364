using System.Text.Json.Nodes;
using k8s.Models;

namespace Spotalis.Simulator.Tests.Http;

public sealed class KubectlTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private const string DeploymentYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: REPLICAS
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: app
                image: nginx:1.27
                ports: [{containerPort: 80}]
              - name: sidecar
                image: busybox:1.36
        """;

    private string Config => sim.KubeconfigPath;

    [Fact]
    public async Task Create_then_get_as_json_returns_the_stored_object()
    {
        var ns = sim.NewNamespace();
        await CreateFromFileAsync(ns, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n");

        var json = JsonNode.Parse(await Kubectl.OkAsync(Config, "-n", ns, "get", "configmap", "settings", "-o", "json"))!;

        Assert.Equal("fast", json["data"]!["mode"]!.GetValue<string>());
        Assert.Equal(sim.Api.Get<V1ConfigMap>(ns, "settings")!.Metadata.Uid, json["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_wide_shows_the_pods_node_and_missing_objects_say_NotFound()
    {
        var ns = sim.NewNamespace();
        await Kubectl.OkAsync(Config, "-n", ns, "run", "web", "--image=nginx:1.27");
        sim.Api.Bind(ns, "web", "spot-node-1");

        var wide = await Kubectl.OkAsync(Config, "-n", ns, "get", "pods", "-o", "wide");
        var missing = await Kubectl.RunAsync(Config, "-n", ns, "get", "pod", "ghost");

        var lines = wide.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE", lines[0]);
        Assert.Matches(@"^web\s+0/1\s+Pending\s+0\s+\S+\s+<none>\s+spot-node-1", lines[1]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Error from server (NotFound): pods \"ghost\" not found", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_watch_prints_changes_as_they_happen()
    {
        var ns = sim.NewNamespace();
        using var watch = Kubectl.Start(Config, "-n", ns, "get", "configmaps", "-w", "--request-timeout=60s");
        var lines = new List<string>();
        var seen = new SemaphoreSlim(0);
        watch.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }

                seen.Release();
            }
        };
        watch.BeginOutputReadLine();
        try
        {
            // kubectl lists first (nothing), then watches; keep creating until the watch reports one.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            var created = 0;
            while (DateTime.UtcNow < deadline && !Snapshot(lines).Any(l => l.StartsWith("late-", StringComparison.Ordinal)))
            {
                await sim.Api.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"late-{created++}", NamespaceProperty = ns } });
                await seen.WaitAsync(TimeSpan.FromSeconds(1));
            }

            Assert.Contains(Snapshot(lines), l => l.StartsWith("late-", StringComparison.Ordinal));
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Label_and_annotate_change_the_stored_pod()
    {
        var ns = sim.NewNamespace();
        await Kubectl.OkAsync(Config, "-n", ns, "run", "web", "--image=nginx:1.27");

        await Kubectl.OkAsync(Config, "-n", ns, "label", "pod", "web", "tier=gold");
        await Kubectl.OkAsync(Config, "-n", ns, "annotate", "pod", "web", "karpenter.sh/do-not-disrupt=true");
        await Kubectl.OkAsync(Config, "-n", ns, "label", "pod", "web", "run-");

        var pod = sim.Api.Get<V1Pod>(ns, "web")!;
        Assert.Equal("gold", pod.Metadata.Labels["tier"]);
        Assert.False(pod.Metadata.Labels.ContainsKey("run"));
        Assert.Equal("true", pod.Metadata.Annotations["karpenter.sh/do-not-disrupt"]);
    }

    [Fact]
    public async Task Patch_supports_merge_json_and_strategic()
    {
        var ns = sim.NewNamespace();
        await ApplyAsync(ns, 2);

        await Kubectl.OkAsync(Config, "-n", ns, "patch", "deployment", "web", "--type", "merge", "-p", """{"spec":{"replicas":5}}""");
        Assert.Equal(5, Deployment(ns).Spec.Replicas);

        await Kubectl.OkAsync(Config, "-n", ns, "patch", "deployment", "web", "--type", "json", "-p", """[{"op":"replace","path":"/spec/replicas","value":4}]""");
        Assert.Equal(4, Deployment(ns).Spec.Replicas);

        await Kubectl.OkAsync(Config, "-n", ns, "patch", "deployment", "web", "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.28"}],"nodeSelector":{"karpenter.sh/capacity-type":"spot"},"tolerations":[{"key":"spot","operator":"Exists"}]}}}}""");
        var spec = Deployment(ns).Spec.Template.Spec;
        Assert.Equal(["nginx:1.28", "busybox:1.36"], spec.Containers.Select(c => c.Image));
        Assert.Equal("spot", spec.NodeSelector["karpenter.sh/capacity-type"]);
        Assert.Equal("spot", Assert.Single(spec.Tolerations).Key);
        Assert.Equal(4, Deployment(ns).Metadata.Generation);
    }

    [Fact]
    public async Task Apply_twice_is_idempotent_and_a_changed_file_is_configured()
    {
        var ns = sim.NewNamespace();
        var first = await ApplyAsync(ns, 2);
        var version = Deployment(ns).Metadata.ResourceVersion;

        var second = await ApplyAsync(ns, 2);
        Assert.Equal(version, Deployment(ns).Metadata.ResourceVersion);

        var third = await ApplyAsync(ns, 3);

        Assert.Contains("deployment.apps/web created", first, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/web unchanged", second, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/web configured", third, StringComparison.Ordinal);
        Assert.Equal(3, Deployment(ns).Spec.Replicas);
        Assert.Equal(2, Deployment(ns).Metadata.Generation);
    }

    [Fact]
    public async Task Reapplying_a_disruption_budget_changes_nothing_on_the_server()
    {
        var ns = sim.NewNamespace();
        const string budget = """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec:
              minAvailable: 2
              selector: {matchLabels: {app: web}}
            """;
        await WithFileAsync(budget, file => Kubectl.OkAsync(Config, "-n", ns, "apply", "-f", file));
        var before = sim.Api.Get<V1PodDisruptionBudget>(ns, "web")!;

        var second = await WithFileAsync(budget, file => Kubectl.OkAsync(Config, "-n", ns, "apply", "-f", file));

        // kubectl says "configured" here against a real apiserver too: spec.selector has patchStrategy "replace",
        // so its client-side three-way patch always carries the selector. What matters is that nothing changed.
        Assert.Contains("poddisruptionbudget.policy/web", second, StringComparison.Ordinal);
        var after = sim.Api.Get<V1PodDisruptionBudget>(ns, "web")!;
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal(1, after.Metadata.Generation);
        Assert.Equal("app", Assert.Single(after.Spec.Selector.MatchLabels).Key);
    }

    [Fact]
    public async Task Scale_goes_through_the_scale_subresource()
    {
        var ns = sim.NewNamespace();
        await ApplyAsync(ns, 2);

        await Kubectl.OkAsync(Config, "-n", ns, "scale", "deployment", "web", "--replicas=6");

        Assert.Equal(6, Deployment(ns).Spec.Replicas);
    }

    [Fact]
    public async Task Delete_removes_objects()
    {
        var ns = sim.NewNamespace();
        await ApplyAsync(ns, 1);
        await CreateFromFileAsync(ns, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n");

        var output = await Kubectl.OkAsync(Config, "-n", ns, "delete", "deployment/web", "configmap/settings");

        Assert.Contains("deployment.apps \"web\" deleted", output, StringComparison.Ordinal);
        Assert.Null(sim.Api.Get<V1Deployment>(ns, "web"));
        Assert.Null(sim.Api.Get<V1ConfigMap>(ns, "settings"));
    }

    [Fact]
    public async Task Typed_create_commands_sending_protobuf_are_understood()
    {
        var ns = sim.NewNamespace();

        await Kubectl.OkAsync(Config, "-n", ns, "create", "deployment", "api", "--image=nginx:1.27", "--replicas=3", "--port=8080");
        await Kubectl.OkAsync(Config, "-n", ns, "create", "configmap", "settings", "--from-literal=mode=fast");
        await Kubectl.OkAsync(Config, "-n", ns, "create", "secret", "generic", "token", "--from-literal=key=abc");
        await Kubectl.OkAsync(Config, "-n", ns, "create", "poddisruptionbudget", "api", "--selector=app=api", "--max-unavailable=25%");

        var deployment = sim.Api.Get<V1Deployment>(ns, "api")!;
        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Equal("api", deployment.Spec.Selector.MatchLabels["app"]);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("nginx:1.27", container.Image);
        Assert.Equal(8080, Assert.Single(container.Ports).ContainerPort);
        Assert.Equal("fast", sim.Api.Get<V1ConfigMap>(ns, "settings")!.Data["mode"]);
        Assert.Equal("abc", System.Text.Encoding.UTF8.GetString(sim.Api.Get<V1Secret>(ns, "token")!.Data["key"]));
        Assert.Equal("25%", sim.Api.Get<V1PodDisruptionBudget>(ns, "api")!.Spec.MaxUnavailable.Value);
    }

    [Fact]
    public async Task Drain_cordons_the_node_and_evicts_its_pods()
    {
        var ns = sim.NewNamespace();
        var node = $"node-{ns}";
        await sim.Api.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = node } });
        await sim.Api.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = ns },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        });

        var output = await Kubectl.OkAsync(Config, "drain", node, "--force", "--grace-period=0", "--timeout=30s");

        Assert.Contains($"pod/web evicted", output, StringComparison.Ordinal);
        Assert.True(sim.Api.Get<V1Node>(null, node)!.Spec.Unschedulable);
        Assert.Null(sim.Api.Get<V1Pod>(ns, "web"));
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    private V1Deployment Deployment(string ns) => sim.Api.Get<V1Deployment>(ns, "web")!;

    private Task<string> ApplyAsync(string ns, int replicas) =>
        WithFileAsync(DeploymentYaml.Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), file => Kubectl.OkAsync(Config, "-n", ns, "apply", "-f", file));

    private Task<string> CreateFromFileAsync(string ns, string yaml) =>
        WithFileAsync(yaml, file => Kubectl.OkAsync(Config, "-n", ns, "create", "-f", file));

    private static async Task<string> WithFileAsync(string content, Func<string, Task<string>> use)
    {
        var file = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, content);
        try
        {
            return await use(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
