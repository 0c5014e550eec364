namespace Spotalis.Core.Policy;

/// <summary>The outcome of parsing a policy. When invalid, <see cref="Policy"/> is the fail-safe: all on-demand.</summary>
public sealed record PolicyResult(WorkloadPolicy Policy, IReadOnlyList<PolicyIssue> Errors, IReadOnlyList<PolicyIssue> Warnings)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>Information only: values accepted in a form the Go release allowed (e.g. <c>"70%"</c>), with the canonical spelling.</summary>
    public IReadOnlyList<PolicyIssue> Notes { get; init; } = [];
}
