using System.CommandLine;
using Spotalis.Commands;

namespace Spotalis.Tests.Support;

/// <summary>Runs the `spotalis` command line in process and captures what it prints.</summary>
public static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand("spotalis");
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(SimCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLineRunner.RunAsync(root, args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
