using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Spotalis.Testing;

namespace Spotalis.Resilience.Tests.Faults;

/// <summary>A real <c>spotalis run</c> process (the built executable next to the tests) against the simulator's kubeconfig.</summary>
internal sealed class OperatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly int _healthPort;

    private OperatorProcess(Process process, int healthPort, string identity)
    {
        _process = process;
        _healthPort = healthPort;
        Identity = identity;
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Identity { get; }

    public IReadOnlyCollection<string> Lines => _lines;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>spotalis run</c> with leader election on a short lease, the webhook off, and test-sized controller settings.</summary>
    public static OperatorProcess Start(string kubeconfigPath, string identity)
    {
        var healthPort = LoopbackPort.Free();
        var info = SpotalisExecutable.StartInfo(["run", "--kubeconfig", kubeconfigPath]);
        var environment = new Dictionary<string, string>
        {
            ["SPOTALIS_LEADER_ELECTION_ENABLED"] = "true",
            ["SPOTALIS_LEADER_ELECTION_IDENTITY"] = identity,
            ["SPOTALIS_LEADER_ELECTION_LEASE_DURATION"] = "3s",
            ["SPOTALIS_LEADER_ELECTION_RENEW_DEADLINE"] = "2s",
            ["SPOTALIS_LEADER_ELECTION_RETRY_PERIOD"] = "500ms",
            ["SPOTALIS_WEBHOOK_ENABLED"] = "false",
            ["SPOTALIS_METRICS_ADDRESS"] = $"127.0.0.1:{LoopbackPort.Free().ToString(CultureInfo.InvariantCulture)}",
            ["SPOTALIS_HEALTH_ADDRESS"] = $"127.0.0.1:{healthPort.ToString(CultureInfo.InvariantCulture)}",
            ["SPOTALIS_CONTROLLERS_COOLDOWN"] = "200ms",
            ["SPOTALIS_CONTROLLERS_RECONCILE_INTERVAL"] = "1s",
            ["SPOTALIS_CONTROLLERS_EVICTIONS_PER_SECOND"] = "50",
            ["SPOTALIS_CONTROLLERS_EVICTION_BURST"] = "50",
            ["SPOTALIS_LOG_FORMAT"] = "text",
            ["SPOTALIS_LOG_LEVEL"] = "Debug",
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return new OperatorProcess(Process.Start(info)!, healthPort, identity);
    }

    /// <summary>True once <c>/readyz</c> answers 200 (every informer listed).</summary>
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

    /// <summary>SIGKILL: no shutdown hook runs, the Lease is not released, in-flight requests are cut.</summary>
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
