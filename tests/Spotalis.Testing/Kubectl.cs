using System.Diagnostics;

namespace Spotalis.Testing;

/// <summary>The real kubectl binary against a kubeconfig: the independent judge and the user's hands in end-to-end tests.</summary>
public static class Kubectl
{
    /// <summary>Runs kubectl; returns its standard output, throws with its standard error when it does not exit 0.</summary>
    public static Task<string> RunAsync(string kubeconfig, params string[] arguments) =>
        RunWithInputAsync(kubeconfig, standardInput: null, arguments);

    /// <summary>Runs kubectl with <paramref name="standardInput"/> on its standard input (for <c>apply -f -</c>).</summary>
    public static async Task<string> RunWithInputAsync(string kubeconfig, string? standardInput, params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--kubeconfig", kubeconfig, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("KUBECONFIG");
        start.Environment["HOME"] = Path.GetTempPath();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        await process.StandardInput.WriteAsync(standardInput ?? string.Empty);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish within 60 s");
        }

        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
    }
}
