using System.Diagnostics;

namespace Spotalis.Tests.Support;

/// <summary>Runs the built `spotalis` executable (spotalis.dll next to the tests) as a separate process, as a user would.</summary>
public static class SpotalisProcess
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "spotalis.dll");

    /// <summary>A start description for `dotnet spotalis.dll args`, output redirected; <paramref name="environment"/> null values remove a variable.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    /// <summary>Runs to completion (at most <paramref name="timeout"/>) and returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(environment, arguments)) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"spotalis {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s");
        }

        return (process.ExitCode, await output, await error);
    }

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        RunAsync(null, TimeSpan.FromSeconds(60), arguments);
}
