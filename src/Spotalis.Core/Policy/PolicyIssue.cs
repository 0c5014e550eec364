namespace Spotalis.Core.Policy;

/// <summary>One problem found in a workload's Spotalis labels or annotations.</summary>
/// <param name="Key">The label or annotation key.</param>
/// <param name="Value">The value as written.</param>
/// <param name="Message">A complete sentence naming the key, the value and what is allowed.</param>
public sealed record PolicyIssue(string Key, string Value, string Message);
