using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Tests.Api;

/// <summary>One set of Events behind core/v1 and events.k8s.io/v1, with the apiserver's field mapping both ways.</summary>
public sealed class EventStoreTests
{
    private static readonly DateTime Now = new(2026, 12, 3, 11, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task An_event_written_through_events_k8s_io_is_read_through_core_v1_with_its_fields_mapped()
    {
        var api = new ClusterApi();
        await api.CreateAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "api.1", NamespaceProperty = "default" },
            Regarding = new V1ObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "api", NamespaceProperty = "default", Uid = "u1" },
            Related = new V1ObjectReference { Kind = "Pod", Name = "api-x" },
            Note = "evicted pod api-x",
            Reason = "Evicted",
            Type = "Normal",
            Action = "Evict",
            EventTime = Now,
            Series = new Eventsv1EventSeries { Count = 3, LastObservedTime = Now.AddMinutes(1) },
            ReportingController = "spotalis",
            ReportingInstance = "spotalis-0",
        });

        var core = Assert.Single(api.List<Corev1Event>("default"));

        Assert.Equal("v1", core.ApiVersion);
        Assert.Equal("api", core.InvolvedObject.Name);
        Assert.Equal("Deployment", core.InvolvedObject.Kind);
        Assert.Equal("api-x", core.Related.Name);
        Assert.Equal("evicted pod api-x", core.Message);
        Assert.Equal("Evicted", core.Reason);
        Assert.Equal("Evict", core.Action);
        Assert.Equal(3, core.Series.Count);
        Assert.Equal(Now.AddMinutes(1), core.Series.LastObservedTime);
        Assert.Equal("spotalis", core.ReportingComponent);
        Assert.Equal("spotalis-0", core.ReportingInstance);
        Assert.Equal(Now, core.EventTime);
    }

    [Fact]
    public async Task An_event_written_through_core_v1_is_read_through_events_k8s_io_with_its_deprecated_fields()
    {
        var api = new ClusterApi();
        await api.CreateAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.1", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web-1", NamespaceProperty = "default" },
            Message = "Successfully assigned",
            Reason = "Scheduled",
            Type = "Normal",
            Count = 2,
            FirstTimestamp = Now,
            LastTimestamp = Now.AddSeconds(30),
            Source = new V1EventSource { Component = "default-scheduler" },
        });

        var events = Assert.Single(api.List<Eventsv1Event>("default"));
        var byName = api.Get<Eventsv1Event>("default", "web.1")!;

        Assert.Equal("events.k8s.io/v1", events.ApiVersion);
        Assert.Equal("web-1", events.Regarding.Name);
        Assert.Equal("Successfully assigned", events.Note);
        Assert.Equal(2, events.DeprecatedCount);
        Assert.Equal(Now, events.DeprecatedFirstTimestamp);
        Assert.Equal(Now.AddSeconds(30), events.DeprecatedLastTimestamp);
        Assert.Equal("default-scheduler", events.DeprecatedSource.Component);
        Assert.Equal(events.Metadata.Uid, byName.Metadata.Uid);
    }

    [Fact]
    public async Task Both_APIs_share_names_resourceVersions_watches_and_deletion()
    {
        var api = new ClusterApi();
        var eventsApi = ResourceRegistry.All.Single(r => r.Group == "events.k8s.io");
        var coreApi = ResourceRegistry.ForType(typeof(Corev1Event));
        using var eventsWatch = api.OpenWatch(eventsApi, "default", null);
        using var coreWatch = api.OpenWatch(coreApi, "default", null);
        await api.CreateAsync(new Eventsv1Event { Metadata = new V1ObjectMeta { Name = "same", NamespaceProperty = "default" }, Reason = "A", EventTime = Now });

        var duplicate = await Assert.ThrowsAsync<ApiException>(() => api.CreateAsync(new Corev1Event { Metadata = new V1ObjectMeta { Name = "same", NamespaceProperty = "default" }, InvolvedObject = new V1ObjectReference() }));
        Assert.Equal(409, duplicate.StatusCode);
        api.Mutate<Eventsv1Event>("default", "same", e => { e.Note = "changed"; return true; });
        Assert.Equal("changed", api.Get<Corev1Event>("default", "same")!.Message);
        api.Delete<Corev1Event>("default", "same");
        Assert.Empty(api.List<Eventsv1Event>("default"));

        Assert.True(eventsWatch.Changes.TryRead(out var added));
        Assert.IsType<Eventsv1Event>(added.Object);
        Assert.True(coreWatch.Changes.TryRead(out var coreAdded));
        Assert.IsType<Corev1Event>(coreAdded.Object);
        Assert.Equal(added.ResourceVersion, coreAdded.ResourceVersion);
    }
}
