using System.Diagnostics;

namespace Spotalis.Testing;

/// <summary>
/// How process tests start <c>spotalis</c>: the JIT build next to the tests (<c>dotnet spotalis.dll</c>), or the
/// executable named by <c>SPOTALIS_TEST_BINARY</c> (CI points it at the NativeAOT binary and runs the tests of
/// <see cref="NativeAotCategory"/> against it, so that an AOT-only break fails CI).
/// </summary>
public static class SpotalisExecutable
{
    public const string Variable = "SPOTALIS_TEST_BINARY";

    /// <summary>The trait (<c>Category=NativeAot</c>) of the process tests CI also runs against the NativeAOT binary.</summary>
    public const string NativeAotCategory = "NativeAot";

    /// <summary>Starts <c>spotalis</c> with these arguments, standard output and error redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var binary = Environment.GetEnvironmentVariable(Variable);
        ProcessStartInfo info;
        if (string.IsNullOrWhiteSpace(binary))
        {
            info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "spotalis.dll"), .. arguments]);
        }
        else
        {
            info = File.Exists(binary)
                ? new ProcessStartInfo(Path.GetFullPath(binary), arguments)
                : throw new InvalidOperationException($"{Variable}={binary} names no file: publish the binary first (docs/how-to/native-aot.md)");
        }

        // `spotalis run` rejects SPOTALIS_* variables that are not configuration keys: this one is the tests' only.
        info.Environment.Remove(Variable);
        info.RedirectStandardError = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        return info;
    }
}
