using System.Diagnostics;
using System.Globalization;
using System.Net;

using Spotalis.Testing;

namespace Spotalis.Benchmarks.Scale;

/// <summary>
/// The real <c>spotalis run</c> executable as a child process, configured by a YAML file, talking to the simulator over
/// HTTP with its kubeconfig. Its health and metrics endpoints are on loopback; its resource use is read from <c>/proc</c>.
/// </summary>
internal sealed class OperatorProcess : IScaleOperator, IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;
    private readonly string _configPath;
    private readonly Queue<string> _errors = new();

    private OperatorProcess(Process process, string configPath, Uri health, Uri metrics)
    {
        _process = process;
        _configPath = configPath;
        HealthUri = health;
        MetricsUri = metrics;
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public int Id => _process.Id;

    public Uri HealthUri { get; }

    public Uri MetricsUri { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="executable"/> (a <c>spotalis.dll</c>, run with <c>dotnet</c>, or the <c>spotalis</c> apphost)
    /// with <c>run --kubeconfig --config</c>; <paramref name="configYaml"/> gets the health and metrics addresses appended.
    /// <paramref name="environment"/> (<c>KEY=VALUE</c>) is added to the child's environment only, e.g. runtime GC settings.
    /// </summary>
    public static OperatorProcess Start(string executable, string kubeconfigPath, string configYaml, IReadOnlyList<string>? environment = null)
    {
        var health = LoopbackPort.Free();
        var metrics = LoopbackPort.Free();
        var configPath = Path.Combine(Path.GetTempPath(), $"spotalis-bench-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(configPath, string.Create(CultureInfo.InvariantCulture, $"""
            {configYaml}
            metrics:
              address: 127.0.0.1:{metrics}
            health:
              address: 127.0.0.1:{health}
            """));
        var arguments = $"run --kubeconfig {kubeconfigPath} --config {configPath}";
        var info = executable.EndsWith(".dll", StringComparison.Ordinal)
            ? new ProcessStartInfo("dotnet", $"{executable} {arguments}")
            : new ProcessStartInfo(executable, arguments);
        info.RedirectStandardError = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        foreach (var pair in environment ?? [])
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, v) : throw new ArgumentException($"--env {pair}: expected KEY=VALUE");
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        return new OperatorProcess(
            process,
            configPath,
            new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{health}/")),
            new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{metrics}/")));
    }

    /// <summary>The built <c>spotalis.dll</c> of this repository (Release), found upwards from the benchmark's folder.</summary>
    public static string DefaultExecutable()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "Spotalis", "bin", "Release", "net10.0", "spotalis.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("spotalis.dll not found: run `dotnet build src/Spotalis -c Release` or pass --spotalis <path>");
    }

    public string UsageScope => "operator process alone (spotalis run)";

    public OperatorUsage Usage() => OperatorUsage.Read(_process.Id);

    public Task<bool> IsSyncedAsync() => AnswersAsync("readyz");

    /// <summary>True once <c>path</c> on the health endpoint answers 200 (<c>healthz</c>: serving; <c>readyz</c>: cache synced).</summary>
    public async Task<bool> AnswersAsync(string path)
    {
        try
        {
            using var reply = await Http.GetAsync(new Uri(HealthUri, path));
            return reply.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Sum of every sample of <paramref name="metric"/> whose labels contain <paramref name="labels"/> (e.g. <c>result="evicted"</c>).</summary>
    public async Task<double> MetricAsync(string metric, string labels = "")
    {
        var text = await Http.GetStringAsync(new Uri(MetricsUri, "metrics"));
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

    public async Task<double> ReconcilesAsync(string? result = null) =>
        await MetricAsync("spotalis_reconcile_total", result is null ? "" : $"result=\"{result}\"");

    public async Task<double> BalancedWorkloadsAsync() => await MetricAsync("spotalis_workloads", "state=\"Balanced\"");

    public async Task WaitUntilAsync(string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await AnswersAsync(path))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"spotalis run exited with {_process.ExitCode}:\n{LastOutput()}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"spotalis run: /{path} not 200 after {timeout.TotalSeconds:F0} s:\n{LastOutput()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    public string LastOutput()
    {
        lock (_errors)
        {
            return string.Join('\n', _errors);
        }
    }

    /// <summary>SIGTERM (graceful shutdown), then a kill after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
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
        File.Delete(_configPath);
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_errors)
        {
            _errors.Enqueue(line.Length > 400 ? line[..400] : line);
            if (_errors.Count > 20)
            {
                _errors.Dequeue();
            }
        }
    }
}
