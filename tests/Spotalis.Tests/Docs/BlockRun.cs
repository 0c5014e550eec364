using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Spotalis.Tests.Docs;

/// <summary>One running block: its output so far, Ctrl-C for its whole session, its exit.</summary>
public sealed class BlockRun
{
    private readonly StringBuilder _output = new();

    public BlockRun(MarkedBlock block, Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        Block = block;
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public MarkedBlock Block { get; }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Describe() => $"{Block}:\n{Block.Text}\n--- output ---\n{Output}";

    /// <summary>Waits up to <paramref name="timeout"/>; true when it exited.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Ctrl-C: SIGINT to every process of the block's session.</summary>
    public void Interrupt() => Signal(Process, "INT");

    internal static void Signal(Process process, string signal)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            using var kill = Process.Start("kill", ["-" + signal, "--", "-" + process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill?.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
