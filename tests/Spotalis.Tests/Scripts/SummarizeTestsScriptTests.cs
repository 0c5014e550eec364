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
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "summarize-tests.py"));
        start.ArgumentList.Add(directory.Path);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("2 passed, 1 failed, 1 skipped", lines[^1]);
        Assert.Contains("  demo.tests.dll: 2 passed, 1 failed, 1 skipped", lines);
        Assert.Contains("  skipped: Demo.Tests.NeedsChromium (demo.tests.dll): chromium is not installed", lines);
        Assert.Contains("  failed: Demo.Tests.Breaks (demo.tests.dll): Failed", lines);
        Assert.Equal(1, process.ExitCode);
    }
}
