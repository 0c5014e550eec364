using System.Globalization;
using k8s.Models;
using Spotalis.Benchmarks.Scale;
using Spotalis.Testing;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>
/// <c>webhook-latency --spotalis &lt;executable&gt;</c> (repeatable): the admission webhook of real <c>spotalis run</c>
/// processes (a <c>spotalis.dll</c> or the NativeAOT binary) next to the in-process endpoints of the same run. A
/// simulated cluster holds the workloads (opted-in Deployments, 50 % spot, floor 1) whose pods the reviews describe;
/// each process watches it, serves its webhook on loopback with the self-managed certificate, and runs read-only (no
/// evictions during the measurement). The processes start one after the other and share the certificate Secret.
/// </summary>
internal sealed class OperatorWebhookTargets : IAsyncDisposable
{
    private readonly ScaleCluster _cluster;
    private readonly List<OperatorProcess> _processes;

    private OperatorWebhookTargets(ScaleCluster cluster, List<OperatorProcess> processes, IReadOnlyList<(string Name, Uri Uri, int ProcessId)> endpoints, string caPem, byte[][] reviews)
    {
        _cluster = cluster;
        _processes = processes;
        Endpoints = endpoints;
        CaPem = caPem;
        Reviews = reviews;
    }

    public IReadOnlyList<(string Name, Uri Uri, int ProcessId)> Endpoints { get; }

    /// <summary>The self-managed CA (from the MutatingWebhookConfiguration's caBundle), trusted exactly as the apiserver does.</summary>
    public string CaPem { get; }

    /// <summary>One review per workload of the cluster, naming its ReplicaSet as owner.</summary>
    public byte[][] Reviews { get; }

    public static async Task<OperatorWebhookTargets> StartAsync(IReadOnlyList<string> executables, int workloads, int replicas)
    {
        var cluster = await ScaleCluster.StartAsync(workloads * replicas);
        var processes = new List<OperatorProcess>();
        try
        {
            await cluster.CreateWorkloadsAsync(workloads, replicas, spotPercentage: 50, minOnDemand: 1);
            await WaitAsync(() => cluster.Api.List<V1ReplicaSet>().Count >= workloads, "the workloads' ReplicaSets");
            var endpoints = new List<(string, Uri, int)>();
            foreach (var executable in executables)
            {
                var port = LoopbackPort.Free();
                var process = OperatorProcess.Start(executable, cluster.Simulation.KubeconfigPath, string.Create(CultureInfo.InvariantCulture, $"""
                    logLevel: Warning
                    readOnly: true
                    leaderElection:
                      enabled: false
                    webhook:
                      enabled: true
                      port: {port}
                    """));
                processes.Add(process);
                await process.WaitUntilAsync("readyz", TimeSpan.FromMinutes(3));
                await WaitAsync(() => CaBundle(cluster) is not null, "the webhook's CA in the MutatingWebhookConfiguration");
                var build = executable.EndsWith(".dll", StringComparison.Ordinal) ? "JIT" : "NativeAOT";
                endpoints.Add(($"spotalis run, {build} ({executable})", new Uri($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/mutate-v1-pod"), process.Id));
            }

            var reviews = RealisticPod.ReviewsFor(cluster.Api.List<V1ReplicaSet>());
            return new OperatorWebhookTargets(cluster, processes, endpoints, CaBundle(cluster)!, reviews);
        }
        catch
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>CPU of one process from <c>/proc</c>; the GC and thread-pool counters of a separate process are not read (shown as "-").</summary>
    public static ServerStats Stats(int processId) => new(OperatorUsage.Read(processId).Cpu.TotalMilliseconds, 0, 0, 0, 0, 0, 0, 0, 0, PeakThreads: -1, 0, 0);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await _cluster.DisposeAsync();
    }

    private static string? CaBundle(ScaleCluster cluster) =>
        cluster.Api.Get<V1MutatingWebhookConfiguration>(null, "spotalis")?.Webhooks is { Count: > 0 } webhooks && webhooks[0].ClientConfig?.CaBundle is { Length: > 0 } ca
            ? System.Text.Encoding.UTF8.GetString(ca)
            : null;

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited 3 minutes for {what}");
            }

            await Task.Delay(200);
        }
    }
}
