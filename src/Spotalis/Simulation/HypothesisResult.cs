namespace Spotalis.Simulation;

/// <summary>The hypothesis: validated only when every criterion is, invalidated when any criterion is.</summary>
public sealed record HypothesisResult(string Statement, Verdict Verdict, IReadOnlyList<CriterionResult> Criteria);
