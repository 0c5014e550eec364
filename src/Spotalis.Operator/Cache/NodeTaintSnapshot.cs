namespace Spotalis.Operator.Cache;

/// <summary>A node taint.</summary>
public sealed record NodeTaintSnapshot(string Key, string? Value, string Effect);
