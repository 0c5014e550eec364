using Spotalis.Tests.Support;

namespace Spotalis.Tests.Docs;

/// <summary>
/// Docs that run: every command block of the README, the tutorials and the how-tos that is marked
/// <c>&lt;!-- test: ... --&gt;</c> runs as written (see <see cref="MarkedBlock"/>), so a doc cannot drift from the CLI.
/// Blocks that need a real cluster, helm or docker are not marked.
/// </summary>
public class DocsRunTests(SharedInstall install) : IClassFixture<SharedInstall>
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(40);

    /// <summary>Every Markdown file of the README, the tutorials and the how-tos that has marked blocks.</summary>
    public static TheoryData<string> MarkedFiles()
    {
        var files = new[] { "README.md" }
            .Concat(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepositoryPaths.Root, f)))
            .Where(f => File.ReadLines(Path.Combine(RepositoryPaths.Root, f)).Any(line => line.TrimStart().StartsWith("<!-- test:", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);
        return [.. files];
    }

    [Fact]
    public void The_readme_runs_its_two_fresh_machine_commands_and_the_install_step_and_only_checks_the_suite_exists()
    {
        var blocks = MarkedBlocks.Read(Path.Combine(RepositoryPaths.Root, "README.md"), "README.md");

        Assert.Contains(blocks, b => b.Mode == "run" && b.Text == "dotnet run --project src/Spotalis -c Release -- demo");
        Assert.Contains(blocks, b => b.Mode == "exists" && b.Text == "bash scripts/test.sh");
        Assert.Contains(blocks, b => b.Mode == "run" && b.Text == "bash scripts/install.sh");
        Assert.DoesNotContain(blocks, b => b.Mode == "run" && b.Text.Contains("scripts/test.sh", StringComparison.Ordinal));
        Assert.Contains("docs/tutorials/first-five-minutes.md", MarkedFiles());
        Assert.Contains("docs/how-to/install-cli.md", MarkedFiles());
    }

    [Theory]
    [MemberData(nameof(MarkedFiles))]
    public async Task Every_marked_block_runs_as_written(string file)
    {
        var blocks = MarkedBlocks.Read(Path.Combine(RepositoryPaths.Root, file), file);
        Assert.NotEmpty(blocks);
        using var shell = new DocsShell(install.CliHome);
        var background = new List<BlockRun>();
        foreach (var block in blocks)
        {
            if (block.Mode == "exists")
            {
                AssertNamedFilesExist(block);
                continue;
            }

            if (SharedInstall.IsInstallStep(block))
            {
                await install.RunOnceAsync(shell, block);
                continue;
            }

            if (block.Ready is { } ready)
            {
                File.Delete(ready);
            }

            var run = shell.Start(block);
            if (block.Background)
            {
                background.Add(run);
                await WaitUntilReadyAsync(run);
            }
            else if (block.Until is { } until)
            {
                var exited = await run.WaitAsync(until);
                Assert.False(exited && run.Process.ExitCode != 0, $"failed before {until.TotalSeconds} s, exit {(exited ? run.Process.ExitCode : 0)}: {run.Describe()}");
                await StopAsync(run);
            }
            else
            {
                Assert.True(await run.WaitAsync(block.Timeout), $"did not finish within {block.Timeout.TotalSeconds} s: {run.Describe()}");
                Assert.True(run.Process.ExitCode == 0, $"exit {run.Process.ExitCode}: {run.Describe()}");
            }

            foreach (var job in background)
            {
                Assert.False(job.Process.HasExited && job.Process.ExitCode != 0, $"a background block stopped with exit {(job.Process.HasExited ? job.Process.ExitCode : 0)}: {job.Describe()}");
            }
        }

        foreach (var job in Enumerable.Reverse(background))
        {
            await StopAsync(job);
        }
    }

    /// <summary>Ctrl-C, then the command must stop by itself: 0 or 130 (stopped by Ctrl-C).</summary>
    private static async Task StopAsync(BlockRun run)
    {
        run.Interrupt();
        Assert.True(await run.WaitAsync(StopGrace), $"did not stop within {StopGrace.TotalSeconds} s of Ctrl-C: {run.Describe()}");
        Assert.True(run.Process.ExitCode is 0 or 130, $"exit {run.Process.ExitCode} after Ctrl-C: {run.Describe()}");
    }

    private static async Task WaitUntilReadyAsync(BlockRun run)
    {
        if (run.Block.Ready is not { } ready)
        {
            return;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!File.Exists(ready))
        {
            Assert.False(run.Process.HasExited, $"stopped (exit {(run.Process.HasExited ? run.Process.ExitCode : 0)}) before {ready} appeared: {run.Describe()}");
            Assert.True(DateTime.UtcNow < deadline, $"{ready} did not appear within 120 s: {run.Describe()}");
            await Task.Delay(250);
        }
    }

    private static void AssertNamedFilesExist(MarkedBlock block)
    {
        var paths = block.Text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Where(word => word.Contains('/', StringComparison.Ordinal) && !word.StartsWith('-'))
            .ToList();
        Assert.True(paths.Count > 0, $"{block}: names no file to check");
        Assert.All(paths, path => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, path)), $"{block}: {path} does not exist"));
    }
}
