using System.CommandLine;

namespace Spotalis.Cli.Commands;

/// <summary>Parses and invokes a command line with the project's exit codes: a usage error is 2, not the library's 1.</summary>
public static class CommandLineRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var parse = root.Parse(args);
        var code = await parse.InvokeAsync(configuration, cancellationToken);
        return parse.Errors.Count > 0 ? ExitCodes.Usage : code;
    }
}
