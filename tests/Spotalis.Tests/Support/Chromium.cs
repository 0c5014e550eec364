using System.Diagnostics;

namespace Spotalis.Tests.Support;

/// <summary>Headless Chromium for rendering reports; <see cref="Path"/> is null when it is not installed.</summary>
public static class Chromium
{
    /// <summary>Names the browser instead of the usual paths (a path that does not exist stands for a machine without one).</summary>
    public const string PathVariable = "SPOTALIS_TEST_CHROMIUM";

    public static string? Path { get; } = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } chosen
        ? (File.Exists(chosen) ? chosen : null)
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public static string MissingMessage => "chromium is not installed (apt-get install -y chromium); the report could not be rendered";

    /// <summary>Runs Chromium headless on <paramref name="url"/> with extra arguments; returns stdout, stderr and exit code.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string url, string profileDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException(MissingMessage))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", $"--user-data-dir={profileDirectory}",
        }.Concat(arguments).Append(url))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 90 s");
        }

        return (process.ExitCode, await output, await error);
    }
}
