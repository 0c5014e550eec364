using k8s;
using k8s.Models;
using Spotalis.Simulator.Cluster;
using Spotalis.Simulator.Tests.Http;

namespace Spotalis.Simulator.Tests.Cluster;

/// <summary>The cluster behaviour as the real kubectl sees it, over HTTP, on real time.</summary>
public sealed class KubectlClusterTests
{
    private static SimulatedEnvironmentOptions Options(int spotNodes = 2, int onDemandNodes = 2) => new()
    {
        Cluster = new ClusterOptions
        {
            Pools = ClusterOptions.DefaultPools(spotNodes, onDemandNodes),
            PodStartDelay = TimeSpan.FromMilliseconds(300),
            ContainerStopDuration = TimeSpan.FromMilliseconds(500),
            ProvisioningDelay = TimeSpan.FromSeconds(1),
            InterruptionNotice = TimeSpan.FromSeconds(2),
        },
    };

    [Fact]
    public async Task Create_deployment_ends_with_running_pods_bound_to_nodes_and_scale_and_rollout_status_work()
    {
        await using var env = await SimulatedEnvironment.StartAsync(Options());
        var kubeconfig = env.KubeconfigPath;

        await CreateDeploymentAsync(kubeconfig, "web", 3);
        await Eventually.TrueAsync(async () => (await RunningPodsAsync(kubeconfig, "app=web")).Count == 3, "3 Running pods");

        var nodes = (await GetAsync<V1NodeList>(kubeconfig, "nodes")).Items.Select(n => n.Metadata.Name).ToHashSet();
        var pods = await RunningPodsAsync(kubeconfig, "app=web");
        Assert.All(pods, p => Assert.Contains(p.Spec.NodeName, nodes));
        Assert.All(pods, p => Assert.Equal("docker.io/library/nginx:latest", p.Status.ContainerStatuses.Single().Image));

        var rollout = await Kubectl.OkAsync(kubeconfig, "rollout", "status", "deployment/web", "--timeout=40s");
        Assert.Contains("successfully rolled out", rollout, StringComparison.Ordinal);

        await Kubectl.OkAsync(kubeconfig, "scale", "deployment/web", "--replicas=5");
        await Eventually.TrueAsync(async () => (await RunningPodsAsync(kubeconfig, "app=web")).Count == 5, "5 Running pods after scale");

        await Kubectl.OkAsync(kubeconfig, "set", "image", "deployment/web", "nginx=nginx:1.27");
        rollout = await Kubectl.OkAsync(kubeconfig, "rollout", "status", "deployment/web", "--timeout=40s");
        Assert.Contains("successfully rolled out", rollout, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () =>
        {
            var current = await RunningPodsAsync(kubeconfig, "app=web");
            return current.Count == 5 && current.All(p => p.Spec.Containers[0].Image == "nginx:1.27");
        }, "5 pods of the new image");

        var wide = await Kubectl.OkAsync(kubeconfig, "get", "deployment", "web");
        Assert.Matches(@"web\s+5/5\s+5\s+5", wide);
    }

    [Fact]
    public async Task Delete_deployment_cascades_to_replicasets_and_pods()
    {
        await using var env = await SimulatedEnvironment.StartAsync(Options());
        var kubeconfig = env.KubeconfigPath;
        await CreateDeploymentAsync(kubeconfig, "web", 2);
        await Eventually.TrueAsync(async () => (await RunningPodsAsync(kubeconfig, "app=web")).Count == 2, "2 Running pods");

        await Kubectl.OkAsync(kubeconfig, "delete", "deployment", "web", "--wait=true", "--timeout=40s");

        await Eventually.TrueAsync(async () =>
            (await GetAsync<V1ReplicaSetList>(kubeconfig, "replicasets")).Items.Count == 0
            && (await GetAsync<V1PodList>(kubeconfig, "pods")).Items.Count == 0, "no ReplicaSets and no pods left");
    }

    [Fact]
    public async Task Drain_retries_refused_evictions_and_never_breaks_the_disruption_budget()
    {
        await using var env = await SimulatedEnvironment.StartAsync(Options(spotNodes: 0, onDemandNodes: 2));
        var kubeconfig = env.KubeconfigPath;
        await CreateDeploymentAsync(kubeconfig, "web", 3);
        await Kubectl.OkAsync(kubeconfig, "create", "pdb", "web", "--selector=app=web", "--min-available=2");
        await Eventually.TrueAsync(async () => (await RunningPodsAsync(kubeconfig, "app=web")).Count == 3, "3 Running pods");
        var busiest = (await RunningPodsAsync(kubeconfig, "app=web")).GroupBy(p => p.Spec.NodeName).OrderByDescending(g => g.Count()).First();
        Assert.True(busiest.Count() >= 2, "one node hosts at least two guarded pods");

        var minReady = int.MaxValue;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var ready = env.Api.List<V1Pod>("default").Count(p => p.Metadata.DeletionTimestamp is null && Workloads.IsRunningAndReady(p));
                minReady = Math.Min(minReady, ready);
                await Task.Delay(20);
            }
        });

        var (code, output, error) = await Kubectl.RunAsync(kubeconfig, "drain", busiest.Key, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=50s");
        await watching.CancelAsync();
        await watcher;

        Assert.True(code == 0, $"drain failed: {error}");
        Assert.Contains("would violate the pod's disruption budget", output + error, StringComparison.Ordinal);
        Assert.Contains($"node/{busiest.Key} drained", output, StringComparison.Ordinal);
        Assert.True(minReady >= 2, $"the budget keeps 2 pods ready, saw {minReady}");
        await Eventually.TrueAsync(async () =>
        {
            var after = await RunningPodsAsync(kubeconfig, "app=web");
            return after.Count == 3 && after.All(p => p.Spec.NodeName != busiest.Key);
        }, "3 Running pods, none on the drained node");
        Assert.True((await GetAsync<V1Node>(kubeconfig, "node", busiest.Key)).Spec.Unschedulable);
    }

    [Fact]
    public async Task Spot_interruption_taints_the_node_then_evicts_its_pods_which_are_replaced_elsewhere()
    {
        await using var env = await SimulatedEnvironment.StartAsync(Options(spotNodes: 2, onDemandNodes: 1));
        var kubeconfig = env.KubeconfigPath;
        await CreateDeploymentAsync(kubeconfig, "web", 4);
        await Eventually.TrueAsync(async () => (await RunningPodsAsync(kubeconfig, "app=web")).Count == 4, "4 Running pods");
        var spotNodes = env.Api.List<V1Node>().Where(n => n.Metadata.Labels["karpenter.sh/capacity-type"] == "spot").Select(n => n.Metadata.Name).ToHashSet();
        var victim = (await RunningPodsAsync(kubeconfig, "app=web")).Where(p => spotNodes.Contains(p.Spec.NodeName))
            .GroupBy(p => p.Spec.NodeName).OrderByDescending(g => g.Count()).First();
        var doomed = victim.Select(p => p.Metadata.Name).ToHashSet();

        Assert.True(env.Cluster.Interrupt(victim.Key));

        var tainted = await GetAsync<V1Node>(kubeconfig, "node", victim.Key);
        Assert.Contains(tainted.Spec.Taints, t => t.Key == "karpenter.sh/disrupted" && t.Effect == "NoSchedule");
        Assert.All(doomed, name => Assert.NotNull(env.Api.Get<V1Pod>("default", name)));

        await Eventually.TrueAsync(() => env.Api.Get<V1Node>(null, victim.Key) is null, "the interrupted node is deleted");
        await Eventually.TrueAsync(async () =>
        {
            var pods = await RunningPodsAsync(kubeconfig, "app=web");
            return pods.Count == 4 && pods.All(p => p.Spec.NodeName != victim.Key && !doomed.Contains(p.Metadata.Name));
        }, "4 replacement pods Running on other nodes");
        Assert.Equal(1, env.Cluster.Statistics.Interruptions);
        Assert.Equal(1, env.Cluster.Statistics.NodesReclaimed);
        Assert.Equal(doomed.Count, env.Cluster.Statistics.PodsDisruptedByInterruptions);
        var nodes = await Kubectl.OkAsync(kubeconfig, "get", "nodes");
        Assert.DoesNotContain(victim.Key, nodes, StringComparison.Ordinal);
    }

    private static Task<string> CreateDeploymentAsync(string kubeconfig, string name, int replicas) =>
        Kubectl.OkAsync(kubeconfig, "create", "deployment", name, "--image=nginx", $"--replicas={replicas}");

    private static async Task<List<V1Pod>> RunningPodsAsync(string kubeconfig, string selector)
    {
        var pods = await GetAsync<V1PodList>(kubeconfig, "pods", "-l", selector);
        return [.. pods.Items.Where(p => p.Metadata.DeletionTimestamp is null && Workloads.IsRunningAndReady(p) && !string.IsNullOrEmpty(p.Spec.NodeName))];
    }

    private static async Task<T> GetAsync<T>(string kubeconfig, params string[] what)
    {
        var output = await Kubectl.OkAsync(kubeconfig, ["get", .. what, "-o", "json"]);
        return KubernetesJson.Deserialize<T>(output);
    }
}
