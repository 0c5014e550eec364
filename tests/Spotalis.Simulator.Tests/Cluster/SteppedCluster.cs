using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster;

namespace Spotalis.Simulator.Tests.Cluster;

/// <summary>A ClusterApi plus SimulatedCluster on a manual clock, driven step by step.</summary>
internal sealed class SteppedCluster : IDisposable
{
    public SteppedCluster(ClusterOptions? options = null)
    {
        Clock = new SimulationClock();
        Api = new ClusterApi(new ClusterApiOptions { Time = Clock });
        Cluster = new SimulatedCluster(Api, options ?? new ClusterOptions { Pools = ClusterOptions.DefaultPools(2, 2), PodStartDelay = TimeSpan.FromSeconds(2) });
        Cluster.Step();
    }

    public SimulationClock Clock { get; }

    public ClusterApi Api { get; }

    public SimulatedCluster Cluster { get; }

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>Steps, then advances the clock timer by timer up to <paramref name="duration"/>, stepping after each jump.</summary>
    public void Run(TimeSpan duration, Action? afterEachStep = null)
    {
        var end = Clock.GetUtcNow() + duration;
        Cluster.Step();
        afterEachStep?.Invoke();
        while (true)
        {
            var next = Cluster.NextWakeUp;
            if (next is null || next > end)
            {
                Clock.AdvanceTo(end);
                Cluster.Step();
                afterEachStep?.Invoke();
                return;
            }

            Clock.AdvanceTo(next.Value);
            Cluster.Step();
            afterEachStep?.Invoke();
        }
    }

    public List<V1Pod> Pods(string ns = "default") => [.. Api.List<V1Pod>(ns)];

    public List<V1Pod> PodsWithLabel(string key, string value, string ns = "default") =>
        [.. Api.List<V1Pod>(ns).Where(p => p.Metadata.Labels?.TryGetValue(key, out var v) == true && v == value)];

    public List<V1Node> Nodes() => [.. Api.List<V1Node>()];

    public V1Deployment CreateDeployment(string name, int replicas, Action<V1Deployment>? customize = null, string ns = "default")
    {
        var deployment = Workloads.Deployment(name, replicas, ns);
        customize?.Invoke(deployment);
        return Api.CreateAsync(deployment).GetAwaiter().GetResult();
    }

    public void Dispose() => Cluster.Dispose();
}

internal static class Workloads
{
    public static V1PodTemplateSpec Template(string app, string image = "nginx:1.27", string? cpu = null) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "main",
                    Image = image,
                    Resources = cpu is null ? null : new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } },
                },
            ],
        },
    };

    public static V1Deployment Deployment(string name, int replicas, string ns = "default") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Template(name),
        },
    };

    public static V1StatefulSet StatefulSet(string name, int replicas, string ns = "default") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Template(name),
        },
    };

    public static bool IsRunningAndReady(V1Pod pod) =>
        pod.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
