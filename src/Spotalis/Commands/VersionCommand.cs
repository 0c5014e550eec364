using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Spotalis.Commands;

/// <summary>`spotalis version`: version, commit and runtime.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version, commit and runtime.");
        CommandHelp.AddExamples(command, ("Which build is installed", "spotalis version"));
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(Describe());
            return 0;
        });
        return command;
    }

    public static string Describe()
    {
        var assembly = typeof(VersionCommand).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus >= 0 ? informational[..plus] : informational;
        var commit = plus >= 0 ? informational[(plus + 1)..] : "unknown";
        return $"spotalis {version} (commit {commit}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier})";
    }
}
