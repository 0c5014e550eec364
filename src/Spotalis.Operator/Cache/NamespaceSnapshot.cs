namespace Spotalis.Operator.Cache;

/// <summary>A namespace as the cache keeps it.</summary>
internal sealed record NamespaceSnapshot(string Name, IReadOnlyDictionary<string, string> Labels);
