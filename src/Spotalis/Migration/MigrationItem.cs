namespace Spotalis.Migration;

/// <summary>One finding of <c>spotalis migrate</c>: what is in the cluster or files, what changes, and what to do.</summary>
/// <param name="Kind">Stable id of the kind of finding (e.g. <c>go-webhook-configuration</c>), for scripts.</param>
/// <param name="Subject">The object or file line it is about, e.g. <c>Deployment shop/api</c>.</param>
/// <param name="Finding">What was found.</param>
/// <param name="Effect">What would happen with this project if nothing is done.</param>
/// <param name="Action">What to do.</param>
/// <param name="ActionNeeded">False for advice that changes no behaviour (optional clean-up).</param>
/// <param name="Apply">What <c>--apply</c> does for it; null when it is a manual step.</param>
public sealed record MigrationItem(string Kind, string Subject, string Finding, string Effect, string Action, bool ActionNeeded, string? Apply)
{
    /// <summary>Set after <c>--apply</c>: true when the change was made, false when it failed.</summary>
    public bool? Applied { get; init; }

    /// <summary>Why applying failed.</summary>
    public string? ApplyError { get; init; }

    /// <summary>The workload, namespace or webhook configuration the apply step changes.</summary>
    public MigrationTarget? Target { get; init; }

    /// <summary>For renamed metrics: the rewrite.</summary>
    public PromQlRewrite? Rewrite { get; init; }
}
