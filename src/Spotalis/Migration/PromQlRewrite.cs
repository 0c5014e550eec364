namespace Spotalis.Migration;

/// <summary>A PromQL expression that queries Go metric names, and the same query written for this project.</summary>
/// <param name="Exact">False when a Go label had no equivalent and its matcher or grouping was dropped.</param>
public sealed record PromQlRewrite(string Source, string Original, string Rewritten, bool Exact, IReadOnlyList<string> Notes);
