using System.CommandLine;

namespace Spotalis.Commands;

/// <summary>Parses and invokes a command line with the project's exit codes: a usage error is 2, not the library's 1.</summary>
public static class CommandLineRunner
{
    /// <summary>
    /// How long a command may take to stop after Ctrl-C or SIGTERM before the process exits anyway (130). The library's
    /// default of 2 s cut the demo's cleanup and the operator's graceful stop (20 s) short; 25 s stays inside
    /// Kubernetes' default terminationGracePeriodSeconds of 30.
    /// </summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(25);

    public static async Task<int> RunAsync(RootCommand root, string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        CommandHelp.ShowExamples(root);
        var parse = root.Parse(args);
        var code = await parse.InvokeAsync(configuration ?? new InvocationConfiguration { ProcessTerminationTimeout = StopGrace }, cancellationToken);
        return parse.Errors.Count > 0 ? ExitCodes.Usage : code;
    }
}
