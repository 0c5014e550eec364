namespace Spotalis.Core.Nodes;

/// <summary>A node taint: key, optional value, effect (NoSchedule, PreferNoSchedule, NoExecute).</summary>
public sealed record NodeTaint(string Key, string? Value, string Effect);
