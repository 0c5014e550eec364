using System.Diagnostics;

namespace Spotalis.Tests.Support;

/// <summary>
/// A private tmux server (its own socket) with one detached session of a fixed size: a real pseudo-terminal to run an
/// interactive command in, read its screen and press keys. Disposing it kills that server only.
/// </summary>
public sealed class Tmux : IAsyncDisposable
{
    private readonly string _socket = "spotalis-tests-" + Guid.NewGuid().ToString("N")[..12];

    private Tmux()
    {
    }

    public static string? Path { get; } = new[] { "/usr/bin/tmux", "/usr/local/bin/tmux" }.FirstOrDefault(File.Exists);

    public static string MissingMessage => "tmux is not installed (apt-get install -y tmux); the demo could not be driven in a terminal";

    /// <summary>Starts <paramref name="shellCommand"/> in a <paramref name="width"/> x <paramref name="height"/> terminal.</summary>
    public static async Task<Tmux> StartAsync(int width, int height, string shellCommand)
    {
        var tmux = new Tmux();
        await tmux.RunAsync("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture), shellCommand);
        return tmux;
    }

    /// <summary>The visible screen, one string per row.</summary>
    public async Task<IReadOnlyList<string>> ScreenAsync()
    {
        var rows = await RunAsync("capture-pane", "-p", "-t", "main");
        return (rows.EndsWith('\n') ? rows[..^1] : rows).Split('\n');
    }

    /// <summary>Presses keys the way tmux names them, e.g. "C-c".</summary>
    public Task SendKeysAsync(string keys) => RunAsync("send-keys", "-t", "main", keys);

    /// <summary>Polls the screen until <paramref name="condition"/> holds; returns that screen or throws with the last one.</summary>
    public async Task<IReadOnlyList<string>> WaitForScreenAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var screen = await ScreenAsync();
            if (condition(screen))
            {
                return screen;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds} s; the screen:\n{string.Join('\n', screen)}");
            }

            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("kill-server");
        }
        catch (InvalidOperationException)
        {
            // The server is already gone.
        }
    }

    private async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException(MissingMessage))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-L", _socket }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("tmux did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
