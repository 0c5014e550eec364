using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Spotalis.Tests.Support;

/// <summary>
/// A real <c>spotalis</c> process (the built CLI next to the tests), its stdout and stderr lines kept for assertions;
/// disposing sends SIGTERM and waits, then kills what is left.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private CliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Every line written so far, stdout and stderr interleaved as they arrived.</summary>
    public IReadOnlyCollection<string> Lines => _lines;

    public bool HasExited => _process.HasExited;

    public static CliProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spotalis.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new CliProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Starts <c>spotalis sim serve</c> with <paramref name="arguments"/> and waits until its kubeconfig is written.</summary>
    public static async Task<CliProcess> StartSimServeAsync(string kubeconfig, params string[] arguments)
    {
        var serve = Start(null, ["sim", "serve", "--kubeconfig", kubeconfig, .. arguments]);
        await Eventually.TrueAsync(() => serve.Lines.Any(l => l.Contains("listening on", StringComparison.Ordinal)) || serve.HasExited, "sim serve to listen");
        Assert.False(serve.HasExited, "sim serve exited: " + string.Join('\n', serve.Lines));
        return serve;
    }

    /// <summary>
    /// Starts <c>spotalis run</c> against <paramref name="kubeconfig"/> with test-sized settings: text logs, free metrics and
    /// health ports, the webhook on <paramref name="webhookPort"/> (off when null), short cooldowns.
    /// </summary>
    public static CliProcess StartOperator(string kubeconfig, int? webhookPort, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["SPOTALIS_LOG_FORMAT"] = "text",
            ["SPOTALIS_LEADER_ELECTION_ENABLED"] = "false",
            ["SPOTALIS_WEBHOOK_ENABLED"] = webhookPort is null ? "false" : "true",
            ["SPOTALIS_METRICS_ADDRESS"] = $"127.0.0.1:{FreePort()}",
            ["SPOTALIS_HEALTH_ADDRESS"] = $"127.0.0.1:{FreePort()}",
            ["SPOTALIS_CONTROLLERS_COOLDOWN"] = "200ms",
            ["SPOTALIS_CONTROLLERS_RECONCILE_INTERVAL"] = "1s",
        };
        if (webhookPort is { } port)
        {
            environment["SPOTALIS_WEBHOOK_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return Start(environment, "run", "--kubeconfig", kubeconfig);
    }

    public static string FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term!.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
