using k8s.Models;
using Spotalis.Simulator.Api;
using static Spotalis.Simulator.Tests.Api.TestObjects;

namespace Spotalis.Simulator.Tests.Api;

public sealed class ClusterApiNotificationTests
{
    [Fact]
    public async Task Subscribers_see_every_change_in_commit_order_including_writes_they_make()
    {
        var api = new ClusterApi();
        var seen = new List<(ClusterChangeType Type, string Name, long Version)>();
        using var recorder = api.Subscribe(c => seen.Add((c.Type, c.Object.Metadata.Name, c.ResourceVersion)));
        using var reactor = api.Subscribe(c =>
        {
            if (c.Type == ClusterChangeType.Added && c.Object is V1Pod { Metadata.Name: "a" })
            {
                api.Mutate<V1Pod>("default", "a", p => { p.Metadata.Labels["seen"] = "yes"; return true; });
            }
        });

        await api.CreateAsync(Pod("a"));
        api.Delete<V1Pod>("default", "a");

        Assert.Equal(
            [(ClusterChangeType.Added, "a"), (ClusterChangeType.Modified, "a"), (ClusterChangeType.Deleted, "a")],
            seen.Select(s => (s.Type, s.Name)));
        Assert.Equal(seen.Select(s => s.Version).Order(), seen.Select(s => s.Version));
    }

    [Fact]
    public async Task Unsubscribed_callbacks_are_no_longer_called()
    {
        var api = new ClusterApi();
        var count = 0;
        var subscription = api.Subscribe(_ => count++);
        await api.CreateAsync(Pod("a"));
        subscription.Dispose();
        await api.CreateAsync(Pod("b"));

        Assert.Equal(1, count);
    }

    [Fact]
    public async Task A_watch_resumes_after_a_resourceVersion_and_410s_once_it_is_compacted()
    {
        var api = new ClusterApi(new ClusterApiOptions { WatchHistorySize = 5 });
        var pods = ResourceRegistry.ForType(typeof(V1Pod));
        await api.CreateAsync(Pod("a"));
        var resumeFrom = api.CurrentResourceVersion;
        await api.CreateAsync(Pod("b"));

        using (var watch = api.OpenWatch(pods, "default", resumeFrom))
        {
            Assert.True(watch.Changes.TryRead(out var change));
            Assert.Equal("b", change.Object.Metadata.Name);
            Assert.False(watch.Changes.TryRead(out _));
            await api.CreateAsync(Pod("c"));
            Assert.True(watch.Changes.TryRead(out change));
            Assert.Equal("c", change.Object.Metadata.Name);
        }

        for (var i = 0; i < 10; i++)
        {
            await api.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}", NamespaceProperty = "default" } });
        }

        var gone = Assert.Throws<ApiException>(() => api.OpenWatch(pods, "default", resumeFrom));
        Assert.Equal(410, gone.StatusCode);
        Assert.Equal("Expired", gone.Reason);
    }
}
