using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Spotalis.Simulator.Tests.Http;

public sealed class ClientTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_watch_resumes_from_the_last_seen_resourceVersion_after_a_disconnect()
    {
        var ns = sim.NewNamespace();
        var start = await sim.Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        string lastSeen;
        using (var first = new CancellationTokenSource(Patience))
        {
            var watch = sim.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: start.Metadata.ResourceVersion, cancellationToken: first.Token);
            await sim.Api.CreateAsync(ConfigMap("a", ns));
            var (type, item) = await FirstAsync(watch);
            Assert.Equal(WatchEventType.Added, type);
            Assert.Equal("a", item.Metadata.Name);
            lastSeen = item.Metadata.ResourceVersion;
            await first.CancelAsync();
        }

        await sim.Api.CreateAsync(ConfigMap("b", ns));
        sim.Api.Delete<V1ConfigMap>(ns, "a");

        using var second = new CancellationTokenSource(Patience);
        var resumed = sim.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: lastSeen, cancellationToken: second.Token);
        var events = await TakeAsync(resumed, 2);

        Assert.Equal([(WatchEventType.Added, "b"), (WatchEventType.Deleted, "a")], events.Select(e => (e.Type, e.Item.Metadata.Name)));
    }

    [Fact]
    public async Task A_watch_with_a_label_selector_sees_objects_enter_and_leave_the_selection()
    {
        var ns = sim.NewNamespace();
        using var timeout = new CancellationTokenSource(Patience);
        // From a resourceVersion taken before the changes: however late the watch connects, it replays them.
        var since = sim.Api.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var watch = sim.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, labelSelector: "tier=gold", resourceVersion: since, cancellationToken: timeout.Token);
        var events = TakeAsync(watch, 2);

        await sim.Api.CreateAsync(ConfigMap("plain", ns));
        sim.Api.Mutate<V1ConfigMap>(ns, "plain", c => { c.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "gold" }; return true; });
        sim.Api.Mutate<V1ConfigMap>(ns, "plain", c => { c.Metadata.Labels["tier"] = "silver"; return true; });

        Assert.Equal([(WatchEventType.Added, "gold"), (WatchEventType.Deleted, "silver")], (await events).Select(e => (e.Type, e.Item.Metadata.Labels["tier"])));
    }

    [Fact]
    public async Task A_stale_update_is_a_409_Conflict()
    {
        var ns = sim.NewNamespace();
        var created = await sim.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("cfg", ns), ns);
        created.Data = new Dictionary<string, string> { ["v"] = "1" };
        await sim.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cfg", ns);

        created.Data["v"] = "2";
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => sim.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cfg", ns));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Contains("\"reason\":\"Conflict\"", error.Response.Content, StringComparison.Ordinal);
        Assert.Equal("1", sim.Api.Get<V1ConfigMap>(ns, "cfg")!.Data["v"]);
    }

    [Fact]
    public async Task Eviction_under_a_PodDisruptionBudget_is_refused_with_429()
    {
        var ns = sim.NewNamespace();
        for (var i = 0; i < 2; i++)
        {
            await sim.Client.CoreV1.CreateNamespacedPodAsync(Pod($"web-{i}", ns), ns);
            sim.Api.Bind(ns, $"web-{i}", "node-1");
            sim.Api.Mutate<V1Pod>(ns, $"web-{i}", p =>
            {
                p.Status.Phase = "Running";
                p.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }];
                return true;
            });
        }

        await sim.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(
            new V1PodDisruptionBudget
            {
                Metadata = new V1ObjectMeta { Name = "web" },
                Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 2, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
            },
            ns);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => sim.Client.CoreV1.CreateNamespacedPodEvictionAsync(
            new V1Eviction { Metadata = new V1ObjectMeta { Name = "web-0", NamespaceProperty = ns } }, "web-0", ns));
        var budget = await sim.Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", ns);

        Assert.Equal((HttpStatusCode)429, error.Response.StatusCode);
        Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget.", error.Response.Content, StringComparison.Ordinal);
        Assert.Null(sim.Api.Get<V1Pod>(ns, "web-0")!.Metadata.DeletionTimestamp);
        Assert.Equal(0, budget.Status.DisruptionsAllowed);
        Assert.Equal(2, budget.Status.CurrentHealthy);
    }

    [Fact]
    public async Task Lists_honour_label_and_field_selectors_and_paging()
    {
        var ns = sim.NewNamespace();
        foreach (var (name, tier, node) in new[] { ("a", "web", "n1"), ("b", "web", "n2"), ("c", "db", "n1"), ("d", "cache", "n1") })
        {
            var pod = Pod(name, ns);
            pod.Metadata.Labels["tier"] = tier;
            pod.Spec.NodeName = node;
            await sim.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        }

        var setBased = await sim.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "tier in (web,db),tier!=db");
        var byNode = await sim.Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "spec.nodeName=n1,metadata.name!=a");
        var page1 = await sim.Client.CoreV1.ListNamespacedPodAsync(ns, limit: 3);
        var page2 = await sim.Client.CoreV1.ListNamespacedPodAsync(ns, limit: 3, continueParameter: page1.Metadata.ContinueProperty);
        var badField = await Assert.ThrowsAsync<HttpOperationException>(() => sim.Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "spec.bogus=1"));

        Assert.Equal(["a", "b"], setBased.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["c", "d"], byNode.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["a", "b", "c"], page1.Items.Select(p => p.Metadata.Name));
        Assert.Equal(1, page1.Metadata.RemainingItemCount);
        Assert.Equal(["d"], page2.Items.Select(p => p.Metadata.Name));
        Assert.Null(page2.Metadata.ContinueProperty);
        Assert.Equal(HttpStatusCode.BadRequest, badField.Response.StatusCode);
    }

    [Fact]
    public async Task Graceful_deletion_is_visible_to_clients_and_dryRun_changes_nothing()
    {
        var ns = sim.NewNamespace();
        var pod = Pod("web", ns);
        pod.Spec.NodeName = "node-1";
        await sim.Client.CoreV1.CreateNamespacedPodAsync(pod, ns, dryRun: "All");
        Assert.Null(sim.Api.Get<V1Pod>(ns, "web"));

        await sim.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        var terminating = await sim.Client.CoreV1.DeleteNamespacedPodAsync("web", ns, gracePeriodSeconds: 20);

        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Equal(20, terminating.Metadata.DeletionGracePeriodSeconds);
        Assert.NotNull((await sim.Client.CoreV1.ReadNamespacedPodAsync("web", ns)).Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Status_writes_go_through_the_status_subresource_only()
    {
        var ns = sim.NewNamespace();
        await sim.Client.CoreV1.CreateNamespacedPodAsync(Pod("web", ns), ns);

        var patch = new V1Patch("""{"status":{"phase":"Running"},"metadata":{"labels":{"ignored":"yes"}}}""", V1Patch.PatchType.MergePatch);
        await sim.Client.CoreV1.PatchNamespacedPodStatusAsync(patch, "web", ns);
        await sim.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"status":{"phase":"Failed"}}""", V1Patch.PatchType.MergePatch), "web", ns);

        var stored = sim.Api.Get<V1Pod>(ns, "web")!;
        Assert.Equal("Running", stored.Status.Phase);
        Assert.False(stored.Metadata.Labels.ContainsKey("ignored"));
    }

    [Fact]
    public async Task Malformed_requests_get_a_Status_body_with_a_clear_reason()
    {
        var ns = sim.NewNamespace();
        await sim.Client.CoreV1.CreateNamespacedPodAsync(Pod("web", ns), ns);
        using var http = new HttpClient { BaseAddress = sim.Server.BaseAddress };

        using var wrongType = new StringContent("""{"spec":{"nodeName":5}}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        using var badPatch = await http.PatchAsync($"api/v1/namespaces/{ns}/pods/web", wrongType);
        using var notJson = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        using var badCreate = await http.PostAsync($"api/v1/namespaces/{ns}/configmaps", notJson);
        using var unknown = await http.GetAsync("apis/example.com/v1/widgets");

        Assert.Equal(HttpStatusCode.BadRequest, badPatch.StatusCode);
        Assert.Contains("\"kind\":\"Status\"", await badPatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badCreate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Null(sim.Api.Get<V1Pod>(ns, "web")!.Spec.NodeName);
    }

    internal static V1ConfigMap ConfigMap(string name, string ns) => new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } };

    internal static V1Pod Pod(string name, string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
    };

    internal static async Task<(WatchEventType Type, T Item)> FirstAsync<T>(IAsyncEnumerable<(WatchEventType, T)> events) =>
        (await TakeAsync(events, 1))[0];

    internal static async Task<List<(WatchEventType Type, T Item)>> TakeAsync<T>(IAsyncEnumerable<(WatchEventType, T)> events, int count)
    {
        var result = new List<(WatchEventType, T)>();
        await foreach (var e in events)
        {
            result.Add(e);
            if (result.Count == count)
            {
                break;
            }
        }

        return result;
    }
}
