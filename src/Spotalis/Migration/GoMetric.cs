namespace Spotalis.Migration;

/// <summary>
/// One metric of the Go Spotalis and how a PromQL selector of it is written here.
/// </summary>
/// <param name="GoName">The Go metric name.</param>
/// <param name="NewName">The metric to use instead; null when the rewrite is a whole expression (<see cref="Replacement"/>).</param>
/// <param name="LabelRenames">Go label -> label here.</param>
/// <param name="DroppedLabels">Go labels with no equivalent here: a matcher or grouping on them cannot be kept.</param>
/// <param name="AddedMatchers">Matchers the new selector needs (e.g. <c>result="error"</c>).</param>
/// <param name="Replacement">A whole replacement expression for the selector, for metrics without a direct equivalent.</param>
/// <param name="Meaning">One line on what the new series measures.</param>
public sealed record GoMetric(
    string GoName,
    string? NewName,
    IReadOnlyDictionary<string, string> LabelRenames,
    IReadOnlyList<string> DroppedLabels,
    string AddedMatchers,
    string? Replacement,
    string Meaning);
