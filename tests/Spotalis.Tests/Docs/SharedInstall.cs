using Spotalis.Tests.Support;

namespace Spotalis.Tests.Docs;

/// <summary>
/// One run of the documented install step for every docs file of a test run: <c>bash scripts/install.sh</c> packs and
/// installs the tool (about two minutes), and the same command from the same checkout installs the same tool, so the
/// first file that reaches the step runs it as written and later files reuse its result. Each file's own blocks still
/// run as pasted, and <c>spotalis</c>/<c>kubectl spotalis</c> resolve to the installed tool only after that file's
/// install step, as for a reader.
/// </summary>
public sealed class SharedInstall : IDisposable
{
    private readonly TemporaryDirectory _home = new();
    private string? _installed;

    public SharedInstall()
    {
        CliHome = Directory.CreateDirectory(_home.File("cli-home")).FullName;
    }

    /// <summary>The DOTNET_CLI_HOME every docs shell shares: the install puts the tool into its .dotnet/tools.</summary>
    public string CliHome { get; }

    /// <summary>Where <c>dotnet tool install --global</c> puts the tool and the install script the kubectl plugin link.</summary>
    public string ToolsDirectory => Path.Combine(CliHome, ".dotnet", "tools");

    /// <summary>True for a block that is the documented install step.</summary>
    public static bool IsInstallStep(MarkedBlock block) =>
        block is { Mode: "run", Background: false, Until: null } && block.Text.Trim() == "bash scripts/install.sh";

    /// <summary>
    /// Runs the install step in <paramref name="shell"/> the first time, exactly as written; later calls check that the
    /// tool it installed is still there. Either way the shell then finds the installed tool first on its PATH.
    /// </summary>
    public async Task RunOnceAsync(DocsShell shell, MarkedBlock block)
    {
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(block);
        if (_installed is null)
        {
            var run = shell.Start(block);
            Assert.True(await run.WaitAsync(block.Timeout), $"did not finish within {block.Timeout.TotalSeconds} s: {run.Describe()}");
            Assert.True(run.Process.ExitCode == 0, $"exit {run.Process.ExitCode}: {run.Describe()}");
            _installed = block.ToString();
        }

        Assert.True(File.Exists(Path.Combine(ToolsDirectory, "spotalis")), $"{block}: the tool installed by {_installed} is missing");
        Assert.True(File.Exists(Path.Combine(ToolsDirectory, "kubectl-spotalis")), $"{block}: the kubectl plugin link installed by {_installed} is missing");
        shell.UseInstalledTools(ToolsDirectory);
    }

    public void Dispose() => _home.Dispose();
}
