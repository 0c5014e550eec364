using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Testing;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>
/// A real <c>spotalis run</c> process (the built executable next to the tests) with its admission webhook on, reached
/// by the simulator through the <c>spotalis-webhook</c> Service (self-managed certificate, as installed by the chart).
/// </summary>
internal sealed class SpotalisRunProcess : IDisposable
{
    public const string OperatorNamespace = "spotalis-system";
    public const string WebhookService = "spotalis-webhook";
    public const string LeaseName = "spotalis-leader";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly int _healthPort;
    private readonly int _metricsPort;

    private SpotalisRunProcess(Process process, string identity, int webhookPort, int healthPort, int metricsPort)
    {
        _process = process;
        Identity = identity;
        WebhookPort = webhookPort;
        _healthPort = healthPort;
        _metricsPort = metricsPort;
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Identity { get; }

    public int WebhookPort { get; }

    public int HealthPort => _healthPort;

    public int MetricsPort => _metricsPort;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyCollection<string> Lines => _lines;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>spotalis run</c>: webhook on a free port, test-sized controller timings, leader election as asked (Lease 3 s, retry 500 ms).</summary>
    public static SpotalisRunProcess Start(string kubeconfigPath, string identity, bool leaderElection, IReadOnlyDictionary<string, string>? environment = null)
    {
        var webhookPort = LoopbackPort.Free();
        var healthPort = LoopbackPort.Free();
        var metricsPort = LoopbackPort.Free();
        var info = SpotalisExecutable.StartInfo(["run", "--kubeconfig", kubeconfigPath]);
        var settings = new Dictionary<string, string>
        {
            ["SPOTALIS_LEADER_ELECTION_ENABLED"] = leaderElection ? "true" : "false",
            ["SPOTALIS_LEADER_ELECTION_IDENTITY"] = identity,
            ["SPOTALIS_LEADER_ELECTION_LEASE_DURATION"] = "3s",
            ["SPOTALIS_LEADER_ELECTION_RENEW_DEADLINE"] = "2s",
            ["SPOTALIS_LEADER_ELECTION_RETRY_PERIOD"] = "500ms",
            ["SPOTALIS_WEBHOOK_ENABLED"] = "true",
            ["SPOTALIS_WEBHOOK_PORT"] = webhookPort.ToString(CultureInfo.InvariantCulture),
            ["SPOTALIS_METRICS_ADDRESS"] = $"127.0.0.1:{metricsPort.ToString(CultureInfo.InvariantCulture)}",
            ["SPOTALIS_HEALTH_ADDRESS"] = $"127.0.0.1:{healthPort.ToString(CultureInfo.InvariantCulture)}",
            ["SPOTALIS_CONTROLLERS_COOLDOWN"] = "200ms",
            ["SPOTALIS_CONTROLLERS_RECONCILE_INTERVAL"] = "1s",
            ["SPOTALIS_CONTROLLERS_EVICTIONS_PER_SECOND"] = "50",
            ["SPOTALIS_CONTROLLERS_EVICTION_BURST"] = "50",
            ["SPOTALIS_LOG_FORMAT"] = "text",
            ["SPOTALIS_LOG_LEVEL"] = "Debug",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        return new SpotalisRunProcess(Process.Start(info)!, identity, webhookPort, healthPort, metricsPort);
    }

    /// <summary>Points the <c>spotalis-webhook</c> Service (443) at one process's webhook port on loopback.</summary>
    public static async Task RouteWebhookServiceAsync(ClusterApi api, int webhookPort)
    {
        api.EnsureNamespace(OperatorNamespace);
        var ports = new List<V1ServicePort> { new() { Port = 443, TargetPort = webhookPort } };
        if (api.Mutate<V1Service>(OperatorNamespace, WebhookService, service =>
            {
                service.Spec.Ports = ports;
                return true;
            }) is null)
        {
            await api.CreateAsync(new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta { Name = WebhookService, NamespaceProperty = OperatorNamespace },
                Spec = new V1ServiceSpec { Ports = ports },
            });
        }
    }

    /// <summary>The Lease holder, or null.</summary>
    public static string? LeaseHolder(ClusterApi api) => api.Get<V1Lease>(OperatorNamespace, LeaseName)?.Spec?.HolderIdentity;

    /// <summary>True once <c>/readyz</c> answers 200.</summary>
    public async Task<bool> IsReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var reply = await http.GetAsync(new Uri($"http://127.0.0.1:{_healthPort.ToString(CultureInfo.InvariantCulture)}/readyz"));
            return reply.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sum of every sample of a metric whose labels contain <paramref name="labels"/>.</summary>
    public async Task<double> MetricAsync(string metric, string labels = "")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_metricsPort.ToString(CultureInfo.InvariantCulture)}/metrics"));
        var total = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is ' ' or '{' &&
                line.Contains(labels, StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>Eviction attempts of this process, whatever their result.</summary>
    public Task<double> EvictionAttemptsAsync() => MetricAsync("spotalis_evictions_total");

    /// <summary>SIGTERM, then waits for the process to exit.</summary>
    public async Task TerminateAsync()
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(exit.Token);
    }

    /// <summary>SIGKILL: no shutdown hook runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue($"[{Identity}] {line}");
        }
    }
}
