using k8s;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Http;

namespace Spotalis.Simulator.Tests.Http;

public sealed class SmallHistoryFixture() : SimulatorFixture(new SimulatorServerOptions { Api = new ClusterApi(new ClusterApiOptions { WatchHistorySize = 10 }) });

public sealed class CompactedWatchTests(SmallHistoryFixture sim) : IClassFixture<SmallHistoryFixture>
{
    [Fact]
    public async Task A_watch_from_a_compacted_resourceVersion_gets_410_and_a_relist_recovers()
    {
        var ns = sim.NewNamespace();
        var old = await sim.Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        for (var i = 0; i < 20; i++)
        {
            await sim.Api.CreateAsync(ClientTests.ConfigMap($"cm-{i:D2}", ns));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var errors = new List<Exception>();
        var stale = sim.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: old.Metadata.ResourceVersion, onError: errors.Add, cancellationToken: timeout.Token);
        var delivered = await ClientTests.TakeAsync(stale, 1);
        Assert.Empty(delivered);
        var gone = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, gone.Status.Code);
        Assert.Equal("Expired", gone.Status.Reason);

        var relisted = await sim.Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        Assert.Equal(20, relisted.Items.Count);
        var fresh = sim.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: relisted.Metadata.ResourceVersion, cancellationToken: timeout.Token);
        await sim.Api.CreateAsync(ClientTests.ConfigMap("after", ns));
        var (type, item) = await ClientTests.FirstAsync(fresh);

        Assert.Equal(WatchEventType.Added, type);
        Assert.Equal("after", item.Metadata.Name);
    }
}
