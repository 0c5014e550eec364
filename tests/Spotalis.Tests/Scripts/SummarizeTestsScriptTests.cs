using System.Diagnostics;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Scripts;

/// <summary>
/// <c>scripts/summarize-tests.py</c> over TRX files as the VSTest logger writes them: the closing line counts skipped
/// tests from their results (outcome NotExecuted) even when the Counters element says 0, and names them with the reason.
/// </summary>
public sealed class SummarizeTestsScriptTests
{
    private const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            <UnitTestResult testName="Demo.Tests.Works" outcome="Passed" />
            <UnitTestResult testName="Demo.Tests.AlsoWorks" outcome="Passed" />
            <UnitTestResult testName="Demo.Tests.Breaks" outcome="Failed" />
            <UnitTestResult testName="Demo.Tests.NeedsChromium" outcome="NotExecuted">
              <Output><StdOut>chromium is not installed</StdOut></Output>
            </UnitTestResult>
          </Results>
          <TestDefinitions>
            <UnitTest name="Works" storage="/repo/tests/demo.tests.dll" id="a" />
          </TestDefinitions>
          <ResultSummary outcome="Failed">
            <Counters total="4" executed="3" passed="2" failed="1" error="0" timeout="0" aborted="0" inconclusive="0" notExecuted="0" />
          </ResultSummary>
        </TestRun>
        """;

    [Fact]
    public async Task The_closing_line_counts_and_the_report_names_a_skipped_test_the_counters_leave_out()
    {
        using var directory = new TemporaryDirectory();
        await File.WriteAllTextAsync(directory.File("run.trx"), Trx);
        var (exitCode, lines) = await SummarizeAsync(directory.Path);

        Assert.Equal("2 passed, 1 failed, 1 skipped", lines[^1]);
        Assert.Contains("  demo.tests.dll: 2 passed, 1 failed, 1 skipped", lines);
        Assert.Contains("  skipped: Demo.Tests.NeedsChromium (demo.tests.dll): chromium is not installed", lines);
        Assert.Contains("  failed: Demo.Tests.Breaks (demo.tests.dll): Failed", lines);
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task A_run_the_runner_aborted_fails_the_summary_even_when_every_reported_test_passed()
    {
        // What VSTest writes when its session timeout stops a run: the tests still running are in no count.
        const string aborted = """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
                <UnitTestResult testName="Demo.Tests.Works" outcome="Passed" />
              </Results>
              <TestDefinitions>
                <UnitTest name="Works" storage="/repo/tests/demo.tests.dll" id="a" />
              </TestDefinitions>
              <ResultSummary outcome="Failed">
                <Counters total="1" executed="1" passed="1" failed="0" error="0" timeout="0" aborted="0" inconclusive="0" notExecuted="0" />
                <RunInfos>
                  <RunInfo computerName="vm" outcome="Error" timestamp="2026-12-03T18:04:33Z">
                    <Text>Aborting test run: test run timeout of 900000 milliseconds exceeded.</Text>
                  </RunInfo>
                </RunInfos>
              </ResultSummary>
            </TestRun>
            """;
        using var directory = new TemporaryDirectory();
        await File.WriteAllTextAsync(directory.File("run.trx"), aborted);
        var (exitCode, lines) = await SummarizeAsync(directory.Path);

        Assert.Equal("1 passed, 0 failed, 0 skipped, 1 run error(s): tests still running then are in no count", lines[^1]);
        Assert.Contains("  run error: demo.tests.dll: Aborting test run: test run timeout of 900000 milliseconds exceeded.", lines);
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task A_test_the_real_runner_skips_is_counted_and_named_with_its_reason()
    {
        // The Chromium tests of this very assembly, run by `dotnet test` with its TRX logger on a "machine without
        // Chromium": what the runner writes for a skipped test is what the script must read.
        using var directory = new TemporaryDirectory();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "test", typeof(SummarizeTestsScriptTests).Assembly.Location, "--filter", "FullyQualifiedName~ReportInChromiumTests",
                     "--logger", "trx", "--results-directory", directory.Path,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[Chromium.PathVariable] = directory.File("no-chromium-here");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using (var run = Process.Start(start)!)
        {
            var runOutput = run.StandardOutput.ReadToEndAsync();
            var runError = run.StandardError.ReadToEndAsync();
            await run.WaitForExitAsync();
            Assert.True(run.ExitCode == 0, $"dotnet test exited {run.ExitCode}:\n{await runOutput}\n{await runError}");
        }

        var (exitCode, lines) = await SummarizeAsync(directory.Path);

        Assert.Equal(["0 passed, 0 failed, 2 skipped", "no test ran"], lines[^2..]);
        var skipped = lines.Where(l => l.StartsWith("  skipped: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, skipped.Count);
        Assert.All(skipped, line => Assert.Contains("ReportInChromiumTests.", line, StringComparison.Ordinal));
        Assert.All(skipped, line => Assert.EndsWith("(spotalis.tests.dll): " + Chromium.MissingMessage, line, StringComparison.Ordinal));
        // Nothing passed or failed: the script says so and fails the run rather than report an empty success.
        Assert.Equal(1, exitCode);
    }

    private static async Task<(int ExitCode, string[] Lines)> SummarizeAsync(string results)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "summarize-tests.py"));
        start.ArgumentList.Add(results);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
