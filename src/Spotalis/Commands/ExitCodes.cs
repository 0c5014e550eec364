namespace Spotalis.Commands;

/// <summary>The exit codes of every `spotalis` command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and failed (cluster unreachable, run failed, ...).</summary>
    public const int Failure = 1;

    /// <summary>The command line or an input file is wrong; nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C (SIGINT) or SIGTERM before it finished, as shells report it (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
