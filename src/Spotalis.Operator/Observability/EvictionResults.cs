namespace Spotalis.Operator.Observability;

/// <summary>Values of the <c>result</c> label of <c>spotalis_evictions_total</c>.</summary>
public static class EvictionResults
{
    public const string Evicted = "evicted";
    public const string BlockedPdb = "blocked_pdb";
    public const string Error = "error";
    public const string DryRun = "dry_run";
}
