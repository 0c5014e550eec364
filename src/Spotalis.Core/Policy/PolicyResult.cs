namespace Spotalis.Core;

/// <summary>The outcome of parsing a policy. When invalid, <see cref="Policy"/> is the fail-safe: all on-demand.</summary>
public sealed record PolicyResult(WorkloadPolicy Policy, IReadOnlyList<PolicyIssue> Errors, IReadOnlyList<PolicyIssue> Warnings)
{
    public bool IsValid => Errors.Count == 0;
}
