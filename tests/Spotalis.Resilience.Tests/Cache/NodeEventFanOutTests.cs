using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Kubernetes;
using Spotalis.Operator.Observability;
using Spotalis.Resilience.Tests.Faults;

namespace Spotalis.Resilience.Tests.Cache;

/// <summary>
/// No work when nothing changes (issue 18): a node change queues only the workloads with a pod on that node, not every
/// workload of the cluster (before, each node event of a spot interruption requeued all of them).
/// </summary>
public sealed class NodeEventFanOutTests
{
    private static readonly string[] Names = ["a", "b", "c", "d", "e", "f"];

    [Fact]
    public async Task Cordoning_a_node_raises_the_workloads_with_pods_on_it_and_no_other()
    {
        await using var env = await FaultEnvironment.StartAsync(NullLoggerFactory.Instance, spotNodes: 3, onDemandNodes: 3);
        foreach (var name in Names)
        {
            await env.CreateDeploymentAsync("shop", name, replicas: 1, spotPercentage: 0, minOnDemand: 0);
        }

        var cache = new ClusterCache(KubernetesConnection.CreateClient(env.Simulation.KubeconfigPath), null, new OperatorMetrics(), NullLogger<ClusterCache>.Instance);
        using var stop = new CancellationTokenSource();
        var running = cache.RunAsync(stop.Token);
        try
        {
            // Every pod Ready on a node in the cache: nothing changes any more until the cordon below.
            await FaultEnvironment.WaitForAsync(
                () => cache.IsSynced && Names.All(n => cache.GetPods(Workload(n)) is [{ Ready: true, NodeName.Length: > 0 }]),
                "one Ready pod per workload in the cache");
            var nodeOf = Names.ToDictionary(n => n, n => cache.GetPods(Workload(n))[0].NodeName!);
            var target = nodeOf.Values.GroupBy(node => node).OrderByDescending(g => g.Count()).First().Key;
            var expected = Names.Where(n => nodeOf[n] == target).Select(Workload).ToHashSet();
            Assert.True(expected.Count < Names.Length, $"all six pods landed on {target}: the test needs workloads elsewhere");

            var raised = new List<WorkloadRef>();
            cache.WorkloadChanged += workload =>
            {
                lock (raised)
                {
                    raised.Add(workload);
                }
            };
            env.Api.Mutate<V1Node>(null, target, node =>
            {
                node.Spec ??= new V1NodeSpec();
                node.Spec.Unschedulable = true;
                return true;
            });

            await FaultEnvironment.WaitForAsync(() => Raised(raised).IsSupersetOf(expected), $"the workloads on {target} to be raised");
            Assert.Equal(expected, Raised(raised));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    private static WorkloadRef Workload(string name) => new("Deployment", "shop", name);

    private static HashSet<WorkloadRef> Raised(List<WorkloadRef> raised)
    {
        lock (raised)
        {
            return [.. raised];
        }
    }
}
