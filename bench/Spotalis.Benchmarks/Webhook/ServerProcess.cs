using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>
/// The <c>webhook-serve</c> child process seen from the load generator: started from this same benchmark binary with
/// the runtime's default GC (workstation, concurrent: what the <c>spotalis</c> executable runs with), stopped by
/// closing its stdin.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _replies;
    private readonly Task _pump;

    private ServerProcess(Process process, Channel<string> replies, Task pump, ServerReady ready)
    {
        _process = process;
        _replies = replies;
        _pump = pump;
        Ready = ready;
    }

    public ServerReady Ready { get; }

    /// <param name="environment">Extra variables for experiments (e.g. <c>DOTNET_GCgen0size</c>); applied after the pinned GC mode.</param>
    public static async Task<ServerProcess> StartAsync(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the benchmark executable");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        }

        start.ArgumentList.Add("webhook-serve");

        // Pin the runtime settings of the `spotalis` executable (src/Spotalis/Spotalis.csproj: workstation,
        // non-concurrent GC, no dynamic PGO, GC conserve-memory 7), whatever the caller's environment says.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_gcConcurrent"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        start.Environment["DOTNET_GCConserveMemory"] = "7";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start webhook-serve");
        var replies = Channel.CreateUnbounded<string>();
        var pump = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith(WebhookServeMode.ReadyPrefix, StringComparison.Ordinal) ||
                    line.StartsWith(WebhookServeMode.StatsPrefix, StringComparison.Ordinal))
                {
                    await replies.Writer.WriteAsync(line);
                }
                else
                {
                    await Console.Error.WriteLineAsync($"[webhook-serve] {line}");
                }
            }

            replies.Writer.Complete();
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var first = await replies.Reader.ReadAsync(timeout.Token);
        var ready = JsonSerializer.Deserialize<ServerReady>(first[WebhookServeMode.ReadyPrefix.Length..])!;
        return new ServerProcess(process, replies, pump, ready);
    }

    public async Task<ServerStats> StatsAsync()
    {
        await _process.StandardInput.WriteLineAsync("stats");
        await _process.StandardInput.FlushAsync();
        var line = await _replies.Reader.ReadAsync();
        return JsonSerializer.Deserialize<ServerStats>(line[WebhookServeMode.StatsPrefix.Length..])!;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        await _pump;
        _process.Dispose();
    }
}
