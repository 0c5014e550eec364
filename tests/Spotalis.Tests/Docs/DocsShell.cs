using System.Diagnostics;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Docs;

/// <summary>
/// Runs documented command blocks with bash the way a reader pastes them, from the repository root, with `spotalis`
/// on the PATH: the tool that the documented install step (scripts/install.sh) puts into a private DOTNET_CLI_HOME
/// (shared by the docs files of a test run, see <see cref="SharedInstall"/>), and before that step the freshly built
/// spotalis.dll. `kubectl spotalis` works only after the install step, as for
/// a reader. Each block runs in its own session (setsid),
/// so that Ctrl-C reaches everything it started and nothing outlives the test.
/// </summary>
public sealed class DocsShell : IDisposable
{
    /// <summary>The form that runs the CLI from a checkout without installing it; the test runs the built one instead.</summary>
    public const string RunFromCheckout = "dotnet run --project src/Spotalis -c Release --";

    private readonly TemporaryDirectory _home = new();
    private readonly List<Process> _started = [];
    private readonly string _shims;

    public DocsShell(string cliHome)
    {
        var shims = Directory.CreateDirectory(_home.File("shims")).FullName;
        var spotalis = Path.Combine(shims, "spotalis");
        File.WriteAllText(spotalis, $"#!/bin/sh\nexec dotnet '{SpotalisProcess.Dll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(spotalis, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        CliHome = cliHome;
        _shims = shims;
        Path_ = string.Join(':', shims, Environment.GetEnvironmentVariable("PATH"));
    }

    /// <summary>DOTNET_CLI_HOME of the blocks: `dotnet tool install --global` installs into its .dotnet/tools.</summary>
    public string CliHome { get; }

    private string Path_ { get; set; }

    /// <summary>From now on the installed tools come first on the PATH (after the file's install step).</summary>
    public void UseInstalledTools(string toolsDirectory) =>
        Path_ = string.Join(':', toolsDirectory, _shims, Environment.GetEnvironmentVariable("PATH"));

    /// <summary>Starts <paramref name="block"/>; the caller waits, stops or watches the returned run.</summary>
    public BlockRun Start(MarkedBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var script = block.Text.Replace(RunFromCheckout, "spotalis", StringComparison.Ordinal);
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // A runner started in the background of a script inherits SIGINT ignored (POSIX), and every block would too;
        // reset it so that the test's Ctrl-C reaches the block as it would in a terminal.
        foreach (var argument in new[] { "env", "--default-signal=INT", "bash", "-euo", "pipefail", "-c", script })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PATH"] = Path_;
        start.Environment["DOTNET_CLI_HOME"] = CliHome;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        // `spotalis run` listens on 8080, 8081 and 9443 by default; on a shared test machine any free port will do.
        start.Environment["SPOTALIS_METRICS_ADDRESS"] = "127.0.0.1:0";
        start.Environment["SPOTALIS_HEALTH_ADDRESS"] = "127.0.0.1:0";
        start.Environment["SPOTALIS_WEBHOOK_PORT"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("setsid did not start");
        process.StandardInput.Close();
        lock (_started)
        {
            _started.Add(process);
        }

        return new BlockRun(block, process);
    }

    public void Dispose()
    {
        lock (_started)
        {
            foreach (var process in _started)
            {
                BlockRun.Signal(process, "KILL");
                process.Dispose();
            }
        }

        _home.Dispose();
    }
}
