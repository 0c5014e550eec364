namespace Spotalis.Scenarios;

/// <summary>What the experiment expects, in words and as machine-checkable criteria.</summary>
public sealed record Hypothesis(string Statement, IReadOnlyList<SuccessCriterion> Criteria);
