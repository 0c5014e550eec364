using System.Diagnostics;

namespace Spotalis.Simulator.Tests.Http;

/// <summary>Runs the real kubectl binary against a kubeconfig.</summary>
internal static class Kubectl
{
    public const string Binary = "/usr/bin/kubectl";

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string kubeconfig, params string[] arguments)
    {
        using var process = Start(kubeconfig, arguments);
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

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Runs kubectl and fails the test with its stderr when it does not exit 0.</summary>
    public static async Task<string> OkAsync(string kubeconfig, params string[] arguments)
    {
        var (code, output, error) = await RunAsync(kubeconfig, arguments);
        Assert.True(code == 0, $"kubectl {string.Join(' ', arguments)} exited {code}: {error}");
        return output;
    }

    public static Process Start(string kubeconfig, params string[] arguments)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("KUBECONFIG");
        start.Environment["HOME"] = Path.GetTempPath();
        return Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
    }
}
