using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Kubernetes;
using Spotalis.Simulator.Faults;

namespace Spotalis.Resilience.Tests.Faults;

/// <summary>What a client sees of the stale-read fault: old objects with their old resourceVersions, and 409 when it writes one back.</summary>
public sealed class StaleReadTests
{
    [Fact]
    public async Task Stale_reads_serve_the_old_object_with_its_old_resource_version_and_a_write_built_on_it_conflicts()
    {
        await using var env = await FaultEnvironment.StartAsync(NullLoggerFactory.Instance);
        var client = KubernetesConnection.CreateClient(env.Simulation.KubeconfigPath);
        await env.Api.CreateAsync(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "settings", NamespaceProperty = "default" },
            Data = new Dictionary<string, string> { ["value"] = "old" },
        });
        env.Faults.Configure(new FaultOptions { StaleReads = TimeSpan.FromSeconds(1) });
        // Responses are recorded while the fault is on: these two are what later identical requests get back.
        var before = await client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default");
        await client.CoreV1.ListNamespacedConfigMapAsync("default");
        Assert.Equal(0, env.Faults.Counts.StaleReads);

        env.Api.Mutate<V1ConfigMap>("default", "settings", c =>
        {
            c.Data["value"] = "new";
            return true;
        });
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var stale = await client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default");
        var staleList = await client.CoreV1.ListNamespacedConfigMapAsync("default");

        Assert.Equal("old", stale.Data["value"]);
        Assert.Equal(before.Metadata.ResourceVersion, stale.Metadata.ResourceVersion);
        Assert.Equal("old", staleList.Items.Single(c => c.Metadata.Name == "settings").Data["value"]);
        Assert.Equal(2, env.Faults.Counts.StaleReads);

        stale.Data["value"] = "written from a stale read";
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "settings", "default"));
        Assert.Equal(409, (int)conflict.Response.StatusCode);
        Assert.Equal("new", env.Api.Get<V1ConfigMap>("default", "settings")!.Data["value"]);

        env.Faults.Configure(FaultOptions.None);
        Assert.Equal("new", (await client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default")).Data["value"]);
    }
}
