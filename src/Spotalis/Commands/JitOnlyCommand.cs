#if SPOTALIS_AOT
using System.CommandLine;

namespace Spotalis.Commands;

/// <summary>
/// Stands in, in the NativeAOT build, for a command that only the JIT build has (the simulator's): says so and where
/// to get it, instead of an "unknown command" error.
/// </summary>
internal static class JitOnlyCommand
{
    public static Command Create(string name, string description)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Error.WriteLine(
                $"spotalis {name} is not in this NativeAOT build (the container image's): it needs the simulator, which runs on the JIT build only. "
                + "Install the JIT CLI with `bash scripts/install.sh` and run `spotalis " + name + "` there; see docs/how-to/native-aot.md.");
            return ExitCodes.Usage;
        });
        return command;
    }
}
#endif
